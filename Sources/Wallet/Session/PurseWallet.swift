import EVM
import Foundation
import HTTP
import Ledger
import PurseCore
import Solana

/// Everything one Purse process pays with: config, key, ledger, session, HTTP client, driver.
///
/// Both faces (the CLI and `serve`) open one of these and call its use cases; neither reaches
/// the ledger or the key another way.
public final class PurseWallet: Sendable {
    /// The configuration in effect.
    public let config: PurseConfig
    /// The effective policy.
    public let policy: Policy
    /// The ledger.
    public let ledger: any PaymentLedger
    /// This process's session.
    public let session: SessionRecord
    /// The signer (holds the key).
    public let signer: KeySigner
    /// Where the key came from.
    public let keySource: KeyLoader.Source
    /// Where the Solana key came from, when the wallet has one.
    public let solanaKeySource: KeyLoader.Source?
    /// The client for sellers and RPC.
    public let http: any HTTPClient
    /// The one payment driver.
    public let driver: PaymentDriver

    /// Opens the wallet: loads the config and key, opens the ledger, starts a session.
    public init(options: WalletOptions, http: (any HTTPClient)? = nil, label: String? = nil, clientName: String? = nil) throws(PurseError) {
        let configPath = PurseConfig.defaultPath(explicit: options.configPath, environment: options.environment)
        do { config = try PurseConfig.load(path: configPath, mustExist: options.configPath != nil) } catch { throw PurseError(error.code, error.message) }
        policy = Policy(config: config)
        let key: PrivateKey
        do { (key, keySource) = try KeyLoader.load(config: config, environment: options.environment) } catch { throw PurseError(error.code, error.message) }
        let solana: (SolanaKeypair, KeyLoader.Source)?
        do { solana = try KeyLoader.loadSolana(config: config, environment: options.environment) } catch { throw PurseError(error.code, error.message) }
        solanaKeySource = solana?.1
        signer = KeySigner(key: key, solana: solana?.0)
        do { ledger = try LedgerLocation.open(options.ledgerLocation(config: config), passwordEnv: config.dbPasswordEnv,
                                                 environment: options.environment) } catch { throw PurseError(error.code, error.message) }
        do {
            session = try ledger.startSession(kind: options.sessionKind, label: label ?? options.environment["PURSE_SESSION_LABEL"],
                                              clientName: clientName, now: Date())
        } catch { throw PurseError(error.code, error.message) }
        let client = http ?? CurlHTTPClient(options: HTTPOptions(config: config.http))
        self.http = client
        driver = PaymentDriver(http: client, ledger: ledger, signer: signer, config: config, sessionID: session.id)
    }

    /// A reconciler over this wallet's ledger.
    public var reconciler: Reconciler { Reconciler(ledger: ledger, config: config, http: http) }

    /// Catalog search with this wallet's verdict on every result (`discover`).
    public var discovery: Discovery { Discovery(http: http, config: config, driver: driver) }

    /// A balance reader for this wallet's addresses.
    public var balances: BalanceReader {
        BalanceReader(config: config, http: http, address: signer.address.checksummed, solanaAddress: signer.solanaAddress)
    }

    /// Records the MCP client's name on this session (best effort: a name is not worth failing for).
    public func recordClient(name: String) async {
        let (ledger, id) = (self.ledger, session.id)
        try? await LedgerWork.run { () throws(LedgerError) in try ledger.setClientName(sessionID: id, name: name) }
    }

    /// The spend log, `session` meaning what `SessionSelector` says (`current` is this session).
    public func spendLog(session selector: String?, limit: Int?) async throws(PurseError) -> SpendLogReport {
        let (ledger, policy, own) = (self.ledger, self.policy, session.id)
        return try await LedgerWork.run { () throws(PurseError) in
            try SpendLog.report(ledger: ledger, policy: policy, session: selector, own: own, limit: limit)
        }
    }

    /// The limits and what is left, for this session.
    public func budgetStatus() async throws(PurseError) -> BudgetStatus {
        let (ledger, policy, own) = (self.ledger, self.policy, session.id)
        return try await LedgerWork.run { () throws(PurseError) in try BudgetStatus(policy: policy, ledger: ledger, sessionID: own) }
    }
}
