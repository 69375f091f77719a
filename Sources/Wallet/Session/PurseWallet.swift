import EVM
import Foundation
import HTTP
import Ledger
import PurseCore

/// Everything one Purse process pays with: config, key, ledger, session, HTTP client, interceptor.
public final class PurseWallet: Sendable {
    /// The configuration in effect.
    public let config: PurseConfig
    /// The effective policy.
    public let policy: Policy
    /// The ledger.
    public let ledger: Ledger
    /// The ledger's path.
    public let ledgerPath: String
    /// This process's session.
    public let session: SessionRecord
    /// The signer (holds the key).
    public let signer: KeySigner
    /// Where the key came from.
    public let keySource: KeyLoader.Source
    /// The client for sellers and RPC.
    public let http: any HTTPClient
    /// The payment choke point.
    public let interceptor: Interceptor

    /// Opens the wallet: loads the config and key, opens the ledger, starts a session.
    public init(options: WalletOptions, http: (any HTTPClient)? = nil, label: String? = nil, clientName: String? = nil) throws(PurseError) {
        let configPath = PurseConfig.defaultPath(explicit: options.configPath, environment: options.environment)
        do { config = try PurseConfig.load(path: configPath, mustExist: options.configPath != nil) } catch { throw PurseError(error.code, error.message) }
        policy = Policy(config: config)
        let key: PrivateKey
        do { (key, keySource) = try KeyLoader.load(config: config, environment: options.environment) } catch { throw PurseError(error.code, error.message) }
        signer = KeySigner(key: key)
        ledgerPath = options.ledgerPath(config: config)
        do { ledger = try Ledger(path: ledgerPath) } catch { throw PurseError(error.code, error.message) }
        do {
            session = try ledger.startSession(kind: options.sessionKind, label: label ?? options.environment["PURSE_SESSION_LABEL"], clientName: clientName, now: Date())
        } catch { throw PurseError(error.code, error.message) }
        var httpOptions = HTTPOptions()
        httpOptions.maxBodyBytes = config.http.maxBodyBytes
        httpOptions.connectTimeoutMs = config.http.connectTimeoutMs
        httpOptions.totalTimeoutMs = config.http.timeoutMs
        httpOptions.proxy = config.http.proxy.map { .url($0) } ?? .direct
        let client = http ?? CurlHTTPClient(options: httpOptions)
        self.http = client
        interceptor = Interceptor(http: client, ledger: ledger, signer: signer, config: config, sessionID: session.id)
    }

    /// A reconciler over this wallet's ledger.
    public var reconciler: Reconciler { Reconciler(ledger: ledger, config: config, http: http) }

    /// A balance reader for this wallet's address.
    public var balances: BalanceReader { BalanceReader(config: config, http: http, address: signer.address) }
}
