import Foundation
import PurseCore
import PurseTesting
import Testing
@testable import Ledger

/// A fixed instant, so windows are deterministic.
let t0 = Date(timeIntervalSince1970: 1_795_000_000) // 2026-11-18

/// A 6-decimal USDC payment of `atomic` units to `host`.
func usdc(_ session: String, _ atomic: Int64, host: String = "api.example.com", nonce: Int = 0) -> NewPayment {
    NewPayment(
        sessionID: session, method: "GET", url: "https://\(host)/weather?q=paris", host: HostName(host),
        network: "eip155:84532", asset: try! Address(parsing: "0x036CbD53842c5426634e7929541eC2318f3dCF7e"), assetSymbol: "USDC",
        decimals: 6, payTo: try! Address(parsing: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"), amountAtomic: atomic,
        micros: Micros(atomic), scheme: "exact", x402Version: 2,
        nonce: try! Nonce32(hex: "0x" + String(repeating: "0", count: 56) + String(format: "%08x", nonce)),
        validBefore: 1_795_000_600, payer: try! Address(parsing: "0x857b06519E91e3A54538791bDbb0E22373e36b66"))
}

/// Opens a ledger at `path`, failing the test with the error's description.
func openLedger(_ path: String, _ options: LedgerOptions = .init()) throws -> SQLiteLedger {
    try SQLiteLedger(path: path, options: options)
}

/// The bytes of a real ledger file of 300 reserved rows, its log checkpointed into it (at least
/// eight pages), for the tests that damage or cut one.
func realLedgerBytes() throws -> [UInt8] {
    let dir = try ScratchDirectory("purse-ledger-tests")
    let path = dir.file("src.db")
    do {
        let ledger = try openLedger(path)
        let s = try ledger.startSession(kind: "fetch", label: nil, clientName: nil, now: t0)
        for i in 0..<300 { _ = try ledger.reserve(usdc(s.id, 1, nonce: i), limits: .none, now: t0) }
    } // closing the last connection checkpoints the WAL into the main file
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(bytes.count >= 8 * 4096)
    return bytes
}

/// Scribbles over one page in the middle of a real ledger's bytes (a page of its payments, past
/// the schema's pages, whatever the file's page size): SQLite opens the file, and `quick_check`
/// finds the damage.
func damageAMiddlePage(_ bytes: inout [UInt8]) {
    let page = Int(LedgerFile.pageSize(header: bytes))
    let start = bytes.count / page / 2 * page
    for i in start..<(start + page) { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
}

/// Returns the ledger error thrown by `body`, or nil when it did not throw.
func ledgerError<T>(_ body: () throws(LedgerError) -> T) -> LedgerError? {
    do { _ = try body(); return nil } catch { return error }
}

/// Returns the reserve error thrown by `body`, or nil when it did not throw.
func reserveError<T>(_ body: () throws(LedgerReserveError) -> T) -> LedgerReserveError? {
    do { _ = try body(); return nil } catch { return error }
}

/// The permission bits of a file.
func mode(_ path: String) -> mode_t {
    var st = stat()
    guard stat(path, &st) == 0 else { return 0o7777 }
    return st.st_mode & 0o777
}

/// Writes to standard error (tests never print to stdout).
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// One ledger test case on one backend: a fresh ledger and a session in it. Each suite's cases
/// are an extension of it (`ReservationTests`, `TransitionTests`, `ChargeTests`,
/// `ApprovalStoreTests`), run once per backend.
struct LedgerCase {
    let fixture: LedgerFixture
    var ledger: any PaymentLedger { fixture.ledger }
    let session: String

    init(_ backend: LedgerBackend, label: String? = nil) throws {
        fixture = try LedgerFixture(backend)
        session = try fixture.ledger.startSession(kind: "serve", label: label, clientName: nil, now: t0).id
    }
}
