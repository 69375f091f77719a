import EVM
import Foundation
import HTTP
import PurseCore
import PurseTesting
import Solana
import Testing
@testable import PurseSetup

/// `purse doctor` on Solana networks, against canned JSON-RPC answers: the RPC answers and
/// serves the cluster the network id names, each allowed mint exists, is a mint and has the
/// configured decimals, the Solana key is there when a Solana network is allowed, and its
/// balance counts for funds.
@Suite struct DoctorSolanaTests {
    static let keyHex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    static let devnet = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
    static let devnetGenesis = "EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG"
    static let mainnetGenesis = "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d"
    /// The built-in devnet USDC mint.
    static let usdc = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"

    /// The temporary home, removed when the test ends.
    let scratch: ScratchDirectory
    var home: String { scratch.path }
    let solana: SolanaKeypair

    init() throws {
        scratch = try ScratchDirectory("purse-doctor-sol")
        try FileManager.default.createDirectory(atPath: scratch.file("bin"), withIntermediateDirectories: true)
        solana = try SolanaKeypair(seed: Array(repeating: 7, count: 32))
    }

    /// What the canned Solana node holds.
    struct Chain: Sendable {
        var genesis = DoctorSolanaTests.devnetGenesis
        /// The mint account: owner and data; nil means no account there.
        var mint: (owner: SolanaPublicKey, data: [UInt8])? = (.tokenProgram, DoctorSolanaTests.mintData(decimals: 6))
        /// The wallet's token balance; nil means its token account does not exist.
        var balance: UInt64? = 2_500_000
        var down = false
    }

    static func mintData(decimals: UInt8, initialized: Bool = true) -> [UInt8] {
        var d = [UInt8](repeating: 0, count: 82)
        d[44] = decimals
        d[45] = initialized ? 1 : 0
        return d
    }

    /// A node that answers the EVM calls (chain 84532, `evmBalance`) and the Solana ones from `chain`.
    func node(_ chain: Chain, evmBalance: UInt64 = 0) -> InMemoryHTTPClient {
        let owner = solana.publicKey
        return InMemoryHTTPClient { request throws(HTTPError) in
            let call = (try? JSONValue.parse(request.body ?? [])) ?? .null
            let method = call["method"]?.stringValue ?? ""
            let id = call["id"]?.encoded() ?? "1"
            let result: String
            if method == "eth_chainId" {
                result = #""0x14a34""#
            } else if method == "eth_call" {
                let hex = String(evmBalance, radix: 16)
                result = #""0x\#(String(repeating: "0", count: 64 - hex.count) + hex)""#
            } else {
                if chain.down { throw HTTPError(.connectFailed, "connection refused", requestMayHaveBeenSent: false) }
                switch method {
                case "getGenesisHash":
                    result = #""\#(chain.genesis)""#
                case "getAccountInfo":
                    let address = call["params"]?.arrayValue?.first?.stringValue ?? ""
                    let account: (SolanaPublicKey, [UInt8])?
                    if address == DoctorSolanaTests.usdc || address == DoctorSolanaTests.otherMint {
                        account = chain.mint
                    } else if let balance = chain.balance, let mint = try? SolanaPublicKey(base58: DoctorSolanaTests.usdc) {
                        var data = mint.bytes + owner.bytes
                        data += (0..<8).map { UInt8(truncatingIfNeeded: balance >> (8 * $0)) }
                        data += [UInt8](repeating: 0, count: 165 - data.count)
                        data[108] = 1
                        account = (.tokenProgram, data)
                    } else {
                        account = nil
                    }
                    let value = account.map { #"{"lamports":1461600,"owner":"\#($0.0.base58)","data":["\#(Data($0.1).base64EncodedString())","base64"],"executable":false,"rentEpoch":0,"space":\#($0.1.count)}"# } ?? "null"
                    result = #"{"context":{"slot":42},"value":\#(value)}"#
                default:
                    return HTTPResponse(status: 200, body: Array(#"{"jsonrpc":"2.0","id":\#(id),"error":{"code":-32601,"message":"Method not found"}}"#.utf8), effectiveURL: request.url)
                }
            }
            return HTTPResponse(status: 200, body: Array(#"{"jsonrpc":"2.0","id":\#(id),"result":\#(result)}"#.utf8), effectiveURL: request.url)
        }
    }

    /// Another mint the config may add (its decimals are the config's to get wrong).
    static let otherMint = "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB"

    /// A config with a raw EVM key file, Base Sepolia and Solana devnet (`solanaNetworks`), and
    /// the Solana keypair file unless `solanaKey` is false.
    func setUp(solanaKey: Bool = true, allow: String = #"["eip155:84532", "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"]"#,
               solanaAssets: String = "[]") throws -> String {
        let evm = home + "/evm.key"
        try Data(Self.keyHex.utf8).write(to: URL(fileURLWithPath: evm))
        chmod(evm, 0o600)
        let sol = home + "/solana.json"
        try Data(solana.keypairFileContents()).write(to: URL(fileURLWithPath: sol))
        chmod(sol, 0o600)
        let key = solanaKey ? #"{"file": "\#(evm)", "solana": {"file": "\#(sol)"}}"# : #"{"file": "\#(evm)"}"#
        let text = #"""
        {"key": \#(key),
         "networks": {"eip155:84532": {"rpcUrl": "http://evm.test"}, "\#(Self.devnet)": {"rpcUrl": "http://sol.test", "assets": \#(solanaAssets)}},
         "policy": {"allowNetworks": \#(allow)}}
        """#
        let config = home + "/config.json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: config))
        return config
    }

    func doctor(_ config: String, http: any HTTPClient, env: [String: String] = [:]) -> Doctor {
        Doctor(configPath: config, configExplicit: true, dbPath: home + "/purse.db", environment: env.merging(["PATH": home + "/bin"]) { a, _ in a },
               home: home, platform: .linux, selfPath: home + "/bin/purse", http: http)
    }

    @Test func aReadySolanaNetworkPassesAndItsBalanceCountsAsFunds() async throws {
        let http = node(Chain(), evmBalance: 0)
        let report = await doctor(try setUp(), http: http).run()
        let key = try #require(report.check("key.solana"))
        #expect(key.status == .ok && key.detail.contains(solana.publicKey.base58), "\(key)")
        let net = try #require(report.check("network.\(Self.devnet)"))
        #expect(net.status == .ok && net.detail.contains("http://sol.test answers"), "\(net)")
        let mint = try #require(report.check("mint.\(Self.devnet).\(Self.usdc)"))
        #expect(mint.status == .ok && mint.detail.contains("SPL Token mint, 6 decimals"), "\(mint)")
        let balance = try #require(report.check("balance.\(Self.devnet).\(Self.usdc)"))
        #expect(balance.status == .ok && balance.detail.hasPrefix("2.5") && balance.detail.contains("USDC"), "\(balance)")
        #expect(report.check("funds")?.status == .ok, "the EVM balance is 0 but the Solana one is not: \(report.text)")
        #expect(report.check("balance.eip155:84532.0x036cbd53842c5426634e7929541ec2318f3dcf7e")?.status == .warn)
        #expect(!report.text.contains("not checked here"), "no longer skipped")
        let methods = Set(http.requests.compactMap { (try? JSONValue.parse($0.body ?? []))?["method"]?.stringValue })
        #expect(methods.isSuperset(of: ["getGenesisHash", "getAccountInfo"]))
        // Never the key.
        let secret = solana.withUnsafeSecretKey { Base58.encode($0) }
        #expect(!report.text.contains(secret) && !report.text.contains("ac0974bec39a17e3"))
    }

    @Test func aNodeOfAnotherClusterFails() async throws {
        let report = await doctor(try setUp(), http: node(Chain(genesis: Self.mainnetGenesis))).run()
        let net = try #require(report.check("network.\(Self.devnet)"))
        #expect(net.status == .fail && net.detail.contains("genesis hash is \(Self.mainnetGenesis)"), "\(net)")
        #expect(net.fix?.contains("point networks.\(Self.devnet).rpcUrl at a Solana Devnet node") == true)
        #expect(report.check("mint.\(Self.devnet).\(Self.usdc)") == nil, "no mint is read from the wrong cluster")
        #expect(!report.ok)
    }

    @Test func aDeadSolanaRPCFailsWithAFix() async throws {
        let report = await doctor(try setUp(), http: node(Chain(down: true))).run()
        let net = try #require(report.check("network.\(Self.devnet)"))
        #expect(net.status == .fail && net.detail.contains("does not answer") && net.fix?.contains("networks.\(Self.devnet).rpcUrl") == true, "\(net)")
        #expect(report.check("network.eip155:84532")?.status == .ok, "the EVM network is checked on its own")
        #expect(!report.ok)
    }

    @Test func aMissingMintFails() async throws {
        let report = await doctor(try setUp(), http: node(Chain(mint: nil))).run()
        let mint = try #require(report.check("mint.\(Self.devnet).\(Self.usdc)"))
        #expect(mint.status == .fail && mint.detail.contains("no such account"), "\(mint)")
        #expect(mint.fix?.contains("networks.\(Self.devnet).assets") == true)
        #expect(report.check("balance.\(Self.devnet).\(Self.usdc)") == nil)
        #expect(!report.ok)
    }

    @Test func anAccountThatIsNotAMintFails() async throws {
        let report = await doctor(try setUp(), http: node(Chain(mint: (.systemProgram, [])))).run()
        let mint = try #require(report.check("mint.\(Self.devnet).\(Self.usdc)"))
        #expect(mint.status == .fail && mint.detail.contains("is not a token mint"), "\(mint)")
    }

    @Test func configuredDecimalsThatDifferFromTheMintFail() async throws {
        let assets = #"[{"address": "\#(Self.otherMint)", "symbol": "USDT", "decimals": 9}]"#
        let report = await doctor(try setUp(solanaAssets: assets), http: node(Chain())).run()
        let mint = try #require(report.check("mint.\(Self.devnet).\(Self.otherMint)"))
        #expect(mint.status == .fail && mint.detail.contains("has 6 decimals on chain, the config says 9"), "\(mint)")
        #expect(mint.fix?.contains(#""decimals": 6"#) == true, "\(mint)")
        #expect(report.check("mint.\(Self.devnet).\(Self.usdc)")?.status == .ok, "the built-in mint still passes")
        #expect(!report.ok)
    }

    @Test func aNamedSolanaNetworkWithoutASolanaKeyFails() async throws {
        let report = await doctor(try setUp(solanaKey: false), http: node(Chain())).run()
        let key = try #require(report.check("key.solana"))
        #expect(key.status == .fail && key.detail.contains("no Solana key"), "\(key)")
        #expect(key.fix?.contains("purse keygen --solana") == true)
        #expect(report.check("mint.\(Self.devnet).\(Self.usdc)")?.status == .ok, "the mint is checked without a key")
        #expect(report.check("balance.\(Self.devnet).\(Self.usdc)") == nil, "no balance without a key")
        #expect(!report.ok)
    }

    @Test func thePurseSolanaKeyVariableCounts() async throws {
        let secret = solana.withUnsafeSecretKey { Base58.encode($0) }
        let report = await doctor(try setUp(solanaKey: false), http: node(Chain()), env: ["PURSE_SOLANA_KEY": secret]).run()
        let key = try #require(report.check("key.solana"))
        #expect(key.status == .ok && key.detail.contains("from PURSE_SOLANA_KEY"), "\(key)")
        #expect(!report.text.contains(secret))
    }

    @Test func solanaAllowedOnlyByDefaultWithoutAKeyIsAWarning() async throws {
        let evm = home + "/evm.key"
        try Data(Self.keyHex.utf8).write(to: URL(fileURLWithPath: evm))
        chmod(evm, 0o600)
        let config = home + "/config.json"
        try Data(#"{"key": {"file": "\#(evm)"}}"#.utf8).write(to: URL(fileURLWithPath: config))
        let report = await doctor(config, http: node(Chain(), evmBalance: 1_000_000)).run()
        let key = try #require(report.check("key.solana"))
        #expect(key.status == .warn && key.detail.contains("(by default)"), "\(key)")
        #expect(report.check("network.\(Self.devnet)")?.status == .ok)
        #expect(report.check("funds")?.status == .ok)
    }

    @Test func noSolanaNetworkNoSolanaCheck() async throws {
        let report = await doctor(try setUp(allow: #"["eip155:84532"]"#), http: node(Chain())).run()
        #expect(report.check("key.solana") == nil)
        #expect(!report.checks.contains { $0.id.contains("solana:") })
    }

    @Test func theSolanaFundingAdviceNamesNoETH() {
        let advice = Funding.advice(network: Self.devnet, address: solana.publicKey.base58)
        #expect(advice.contains("Solana Devnet") && advice.contains("no SOL is needed") && !advice.contains("ETH"))
    }
}
