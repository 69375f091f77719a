import Testing
@testable import Wallet

/// One resolver decides where the ledger is, for every command and for `serve`.
@Suite struct LedgerLocationTests {
    @Test(arguments: [
        ("/flag.db", ["PURSE_DB": "/env.db", "HOME": "/h"], "/cfg.db", "/flag.db"),
        (nil, ["PURSE_DB": "/env.db", "XDG_DATA_HOME": "/d", "HOME": "/h"], "/cfg.db", "/env.db"),
        (nil, ["PURSE_DB": "", "XDG_DATA_HOME": "/d", "HOME": "/h"], "/cfg.db", "/cfg.db"),
        (nil, ["XDG_DATA_HOME": "/d", "HOME": "/h"], nil, "/d/purse/purse.db"),
        (nil, ["XDG_DATA_HOME": "relative", "HOME": "/h/"], nil, "/h/.local/share/purse/purse.db"),
        ("", ["HOME": "/h"], "", "/h/.local/share/purse/purse.db"),
    ] as [(String?, [String: String], String?, String)])
    func precedence(explicit: String?, environment: [String: String], configured: String?, expected: String) {
        #expect(LedgerLocation.resolve(explicit: explicit, configured: configured, environment: environment) == expected)
    }
}
