import Foundation
import HTTP
import PurseCore
import Testing
@testable import Wallet

@Suite struct PurseConfigTests {
    func parse(_ text: String) throws(ConfigError) -> PurseConfig { try PurseConfig.parse(Array(text.utf8)) }

    func expectError(_ text: String, code: String, key: String) {
        do {
            _ = try parse(text)
            Issue.record("expected \(code) for \(text)")
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(error.key == key, "\(error)")
            if !key.isEmpty { #expect(error.message.contains(key)) }
        }
    }

    @Test func emptyFileGivesDefaults() throws {
        let c = try parse("{}")
        #expect(c.policy.maxPerRequest == Micros(100_000))
        #expect(c.policy.sessionBudget == Micros(1_000_000))
        #expect(c.policy.dailyBudget == Micros(5_000_000))
        #expect(c.allowedNetworks == ["eip155:84532", "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"])
        #expect(c.allowedAssets.map(\.address) == ["0x036CbD53842c5426634e7929541eC2318f3dCF7e", "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"])
    }

    @Test func solanaKeysNetworksAndMintsParse() throws {
        let devnet = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
        let c = try parse(#"""
        {"key": {"keystore": "/k.json", "passwordEnv": "P", "solana": {"file": "/s.json"}},
         "networks": {"\#(devnet)": {"rpcUrl": "http://127.0.0.1:8899", "maxComputeUnitPrice": 1000,
                                     "assets": [{"address": "4p3wozU1dfXe4eYbMfm3RSCi2F9D38bqzyTPbAkc8qnD", "decimals": 6, "symbol": "T22"}]}},
         "policy": {"allowNetworks": ["\#(devnet)", "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp"],
                    "allowAssets": ["4p3wozU1dfXe4eYbMfm3RSCi2F9D38bqzyTPbAkc8qnD", "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"]}}
        """#)
        #expect(c.solanaKey == .file("/s.json") && c.key == .keystore(path: "/k.json", passwordEnv: "P"))
        #expect(c.maxComputeUnitPrice(network: devnet) == 1000 && c.maxComputeUnitPrice(network: "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp") == 5_000_000)
        // Sorted by network: mainnet's id sorts before devnet's.
        #expect(c.allowedAssets.map(\.address) == ["EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", "4p3wozU1dfXe4eYbMfm3RSCi2F9D38bqzyTPbAkc8qnD"])
        #expect(c.rpcURL(network: devnet) == "http://127.0.0.1:8899")
        // A Solana key alone: the EVM key then comes from the environment.
        let alone = try parse(#"{"key": {"solana": {"file": "/s.json"}}}"#)
        #expect(alone.key == nil && alone.solanaKey == .file("/s.json"))
        // A configured devnet is a testnet: allowed without being named; mainnet is not.
        let configured = try parse(#"{"networks": {"\#(devnet)": {}, "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp": {}}}"#)
        #expect(configured.allowedNetworks == [devnet])
        expectError(#"{"key": {"solana": {}}}"#, code: "config.missing_key", key: "key.solana.file")
        expectError(#"{"key": {"solana": {"file": "/s", "seed": "x"}}}"#, code: "config.unknown_key", key: "key.solana.seed")
        expectError(#"{"networks": {"\#(devnet)": {"assets": [{"address": "0x5FbDB2315678afecb367f032d93F642f64180aa3", "decimals": 6}]}}}"#,
                    code: "config.bad_value", key: "networks.\(devnet).assets[0].address")
        expectError(#"{"networks": {"\#(devnet)": {"maxComputeUnitPrice": 5000001}}}"#, code: "config.bad_value", key: "networks.\(devnet).maxComputeUnitPrice")
        expectError(#"{"networks": {"eip155:84532": {"maxComputeUnitPrice": 1}}}"#, code: "config.unknown_key", key: "networks.eip155:84532.maxComputeUnitPrice")
        expectError(#"{"networks": {"cosmos:hub": {}}}"#, code: "config.bad_value", key: "networks.cosmos:hub")
    }

    @Test func issueExampleParses() throws {
        let c = try parse(#"{"networks": {"eip155:84532": {"rpcUrl": "http://127.0.0.1:8545", "assets": [{"address": "0x5FbDB2315678afecb367f032d93F642f64180aa3", "name": "USDC", "version": "2", "decimals": 6, "symbol": "USDC"}]}}, "policy": {"maxPerRequest": "0.10", "allowNetworks": ["eip155:84532"]}}"#)
        #expect(c.rpcURL(network: "eip155:84532") == "http://127.0.0.1:8545")
        #expect(c.allowedAssets.count == 2)
    }

    @Test func unknownKeysAndBadValuesNameTheKey() {
        expectError(#"{"polcy":{}}"#, code: "config.unknown_key", key: "polcy")
        expectError(#"{"policy":{"maxPerRequest":0.1}}"#, code: "config.wrong_type", key: "policy.maxPerRequest")
        expectError(#"{"policy":{"maxPerRequest":"-1"}}"#, code: "config.bad_value", key: "policy.maxPerRequest")
        expectError(#"{"policy":{"sessionBudget":"1.0000001"}}"#, code: "config.bad_value", key: "policy.sessionBudget")
        expectError(#"{"policy":{"hosts":{"allow":["bad host"]}}}"#, code: "config.bad_value", key: "policy.hosts.allow[0]")
        expectError(#"{"policy":{"perHost":{"api.example.com":{"weekly":"1"}}}}"#, code: "config.unknown_key", key: "policy.perHost.api.example.com.weekly")
        expectError(#"{"policy":{"allowNetworks":["narnia"]}}"#, code: "config.bad_value", key: "policy.allowNetworks[0]")
        expectError(#"{"networks":{"base":{}}}"#, code: "config.bad_value", key: "networks.base")
        expectError(#"{"networks":{"eip155:1":{"assets":[{"address":"0x12","name":"a","version":"1","decimals":6}]}}}"#, code: "config.bad_value", key: "networks.eip155:1.assets[0].address")
        expectError(#"{"key":{"keystore":"/k"}}"#, code: "config.missing_key", key: "key.passwordEnv")
        expectError(#"{"http":{"timeoutMs":5}}"#, code: "config.bad_value", key: "http.timeoutMs")
        expectError(#"[1]"#, code: "config.wrong_type", key: "")
        expectError(#"{"policy":"#, code: "config.not_json", key: "")
    }

    @Test func passwordCommandIsAnArgvWithABoundedTimeout() throws {
        let c = try parse(#"{"key":{"keystore":"/k","passwordCommand":["secret-tool","lookup","service","purse"]}}"#)
        #expect(c.key == .keystore(path: "/k", password: .command(argv: ["secret-tool", "lookup", "service", "purse"], timeoutSeconds: 30)))
        let t = try parse(#"{"key":{"keystore":"/k","passwordCommand":["pass"],"passwordCommandTimeoutSeconds":5}}"#)
        #expect(t.key == .keystore(path: "/k", password: .command(argv: ["pass"], timeoutSeconds: 5)))
        expectError(#"{"key":{"keystore":"/k","passwordCommand":"pass show purse"}}"#, code: "config.wrong_type", key: "key.passwordCommand")
        expectError(#"{"key":{"keystore":"/k","passwordCommand":[]}}"#, code: "config.bad_value", key: "key.passwordCommand")
        expectError(#"{"key":{"keystore":"/k","passwordCommand":[""]}}"#, code: "config.bad_value", key: "key.passwordCommand[0]")
        expectError(#"{"key":{"keystore":"/k","passwordCommand":["p"],"passwordEnv":"PW"}}"#, code: "config.bad_value", key: "key.passwordCommand")
        expectError(#"{"key":{"keystore":"/k","passwordCommand":["p"],"passwordCommandTimeoutSeconds":0}}"#, code: "config.bad_value", key: "key.passwordCommandTimeoutSeconds")
        expectError(#"{"key":{"keystore":"/k","passwordEnv":"PW","passwordCommandTimeoutSeconds":5}}"#, code: "config.bad_value", key: "key.passwordCommandTimeoutSeconds")
        expectError(#"{"key":{"keystore":"/k","passwordCmd":["p"]}}"#, code: "config.unknown_key", key: "key.passwordCmd")
    }

    @Test func httpsCAFileSignInAndOfferSigners() throws {
        let d = try parse("{}")
        #expect(d.http.caFile == nil && d.payment.signIn && d.payment.offerSigners.isEmpty)
        #expect(HTTPOptions(config: d.http).caFile == nil)
        let c = try parse(#"{"http": {"caFile": "/tmp/ca.pem"}, "payment": {"signIn": false, "offerSigners": {"Seller.Example": ["0x70997970c51812dc3a010c7d01b50e0d17dc79c8"]}}}"#)
        #expect(c.http.caFile == "/tmp/ca.pem")
        #expect(HTTPOptions(config: c.http).caFile == "/tmp/ca.pem")
        #expect(c.payment.signIn == false)
        #expect(c.payment.offerSigners[HostName("seller.example")] == [try Address(parsing: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")])
        expectError(#"{"http": {"caFile": ""}}"#, code: "config.bad_value", key: "http.caFile")
        expectError(#"{"http": {"caFile": 1}}"#, code: "config.wrong_type", key: "http.caFile")
        expectError(#"{"payment": {"signIn": "yes"}}"#, code: "config.wrong_type", key: "payment.signIn")
        expectError(#"{"payment": {"offerSigners": {"a.example": ["0x12"]}}}"#, code: "config.bad_value", key: "payment.offerSigners.a.example[0]")
        expectError(#"{"payment": {"offerSigners": {"*.example": []}}}"#, code: "config.bad_value", key: "payment.offerSigners.*.example")
        expectError(#"{"payment": {"signin": true}}"#, code: "config.unknown_key", key: "payment.signin")
    }

    @Test func mainnetsOnlyWhenNamed() throws {
        let c = try parse(#"{"policy":{"allowNetworks":["eip155:8453","base-sepolia"]}}"#)
        #expect(Set(c.allowedNetworks) == ["eip155:8453", "eip155:84532"])
        #expect(c.allowedAssets.count == 2)
        let d = try parse(#"{"networks":{"eip155:8453":{"rpcUrl":"https://x"}}}"#)
        #expect(d.allowedNetworks == PurseConfig.defaultNetworks)
    }

    @Test func allowAssetsFilters() throws {
        let c = try parse(#"{"policy":{"allowAssets":["0x0000000000000000000000000000000000000001"]}}"#)
        #expect(c.allowedAssets.isEmpty)
    }

    @Test(arguments: ["testnet-dev", "strict-production", "shared-team-db", "fleet-postgres"])
    func examplePoliciesParse(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/policies/\(name).json")
        let c = try PurseConfig.load(path: url.path, mustExist: true)
        #expect(c.policy.maxPerRequest > .zero)
    }

    /// `db` may be a PostgreSQL URL; `dbPasswordEnv` names a variable, and a value that looks
    /// like a password instead is refused (the config must never hold it).
    @Test func dbPasswordEnvNamesAVariable() throws {
        let c = try PurseConfig.parse(Array(#"{"db":"postgresql://purse@db/purse","dbPasswordEnv":"PURSE_DB_PASSWORD"}"#.utf8))
        #expect(c.db == "postgresql://purse@db/purse" && c.dbPasswordEnv == "PURSE_DB_PASSWORD")
        expectError(#"{"dbPasswordEnv":"hunter2!"}"#, code: "config.bad_value", key: "dbPasswordEnv")
        expectError(#"{"dbPasswordEnv":"9LIVES"}"#, code: "config.bad_value", key: "dbPasswordEnv")
    }

    @Test func amountsAreStrictDecimalStrings() {
        for bad in [".5", "1.", "1e3", "", "0.0000001", "99999999999999999999", " 1"] {
            expectError(#"{"policy":{"dailyBudget":""# + bad + #""}}"#, code: "config.bad_value", key: "policy.dailyBudget")
        }
    }

    @Test func hostPatterns() {
        #expect(HostPattern("*.example.com").matches(HostName("api.example.com")))
        #expect(HostPattern("*.example.com").matches(HostName("a.b.example.com")))
        #expect(!HostPattern("*.example.com").matches(HostName("example.com")))
        #expect(!HostPattern("*.example.com").matches(HostName("badexample.com")))
        #expect(HostPattern("API.example.com").matches(HostName("api.example.com.")))
    }

    @Test func denyWinsOverAllow() throws {
        let p = Policy(config: try parse(#"{"policy":{"hosts":{"allow":["*.example.com"],"deny":["bad.example.com"]}}}"#))
        #expect(p.hostRefusal(HostName("api.example.com")) == nil)
        #expect(p.hostRefusal(HostName("bad.example.com"))?.code == "policy.host_denied")
        #expect(p.hostRefusal(HostName("other.org"))?.code == "policy.host_not_allowed")
    }

    @Test func maxPriceOnlyLowers() throws {
        let p = Policy(config: try parse("{}"))
        #expect(p.perRequestCap(maxPrice: Micros(50_000)) == Micros(50_000))
        #expect(p.perRequestCap(maxPrice: Micros(5_000_000)) == Micros(100_000))
    }
}

@Suite struct DiscoveryConfigTests {
    func parse(_ text: String) throws(ConfigError) -> PurseConfig { try PurseConfig.parse(Array(text.utf8)) }

    @Test func defaultsAreThePublicCatalogs() throws {
        let c = try parse("{}")
        #expect(c.discovery.endpoints == ["https://api.cdp.coinbase.com/platform/v2/x402", "https://facilitator.payai.network"])
        #expect(c.discovery.timeoutMs == 10_000 && c.discovery.isEnabled)
    }

    @Test func endpointsAreNormalizedAndAnEmptyListTurnsDiscoveryOff() throws {
        let c = try parse(#"{"discovery":{"endpoints":["http://127.0.0.1:8000/main/","HTTPS://cat.example"],"timeoutMs":1500}}"#)
        #expect(c.discovery.endpoints == ["http://127.0.0.1:8000/main", "HTTPS://cat.example"])
        #expect(c.discovery.timeoutMs == 1_500)
        let off = try parse(#"{"discovery":{"endpoints":[]}}"#)
        #expect(off.discovery.endpoints.isEmpty && !off.discovery.isEnabled)
    }

    @Test(arguments: [
        (#"{"discovery":[]}"#, "config.wrong_type", "discovery"),
        (#"{"discovery":{"endpoint":[]}}"#, "config.unknown_key", "discovery.endpoint"),
        (#"{"discovery":{"endpoints":"https://a"}}"#, "config.wrong_type", "discovery.endpoints"),
        (#"{"discovery":{"endpoints":["ftp://a"]}}"#, "config.bad_value", "discovery.endpoints[0]"),
        (#"{"discovery":{"endpoints":["https://a?x=1"]}}"#, "config.bad_value", "discovery.endpoints[0]"),
        (#"{"discovery":{"endpoints":["https://a b"]}}"#, "config.bad_value", "discovery.endpoints[0]"),
        (#"{"discovery":{"endpoints":["http:///"]}}"#, "config.bad_value", "discovery.endpoints[0]"),
        (#"{"discovery":{"endpoints":["https://a/","https://a"]}}"#, "config.bad_value", "discovery.endpoints[1]"),
        (#"{"discovery":{"endpoints":[""]}}"#, "config.bad_value", "discovery.endpoints[0]"),
        (#"{"discovery":{"timeoutMs":50}}"#, "config.bad_value", "discovery.timeoutMs"),
    ])
    func badValuesNameTheKey(text: String, code: String, key: String) {
        do {
            _ = try parse(text)
            Issue.record("expected \(code) for \(text)")
        } catch {
            #expect(error.code == code && error.key == key, "\(text): \(error)")
        }
    }

    @Test func tooManyEndpointsAreRefused() {
        let list = (0...DiscoveryConfig.maxEndpoints).map { "\"https://c\($0).example\"" }.joined(separator: ",")
        #expect(throws: ConfigError.self) { try parse(#"{"discovery":{"endpoints":["# + list + "]}}") }
    }

    @Test func knownAssetsIncludeTokensOfNetworksThePolicyRefuses() throws {
        let c = try parse(#"{"networks":{"eip155:1":{"assets":[{"address":"0x0000000000000000000000000000000000000001","name":"T","version":"1","decimals":18,"symbol":"TOK"}]}}}"#)
        #expect(c.knownAssets.contains { $0.network == "eip155:1" && $0.symbol == "TOK" })
        #expect(c.knownAssets.contains { $0.network == "eip155:8453" && $0.symbol == "USDC" })
        #expect(!c.allowedAssets.contains { $0.symbol == "TOK" })
    }
}
