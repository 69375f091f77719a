// swift-tools-version:6.1
// Purse: an MCP server that gives AI agents a paying x402 wallet.
//
// Module map (arrows point inward, toward the pure core):
//   purse -> PurseCLI -> {PurseMCP, PurseSetup} -> Wallet -> {Ledger, HTTP, ChainRPC, WalletConfig, MCPUpstream} -> {X402, EVM} -> PurseCore
//   PurseCLI -> SpendReport -> {Ledger (its record and report types only), PurseCore}
// (MCPUpstream, Purse's MCP client for upstream servers, is an edge over HTTP and PurseCore.)
// PurseCore, EVM, X402, WalletConfig and SpendReport do no IO (SpendReport turns a spend log
// into one HTML page; `purse report` reads the ledger and writes the file); PurseCore holds the
// typed values (Address, HostName, Micros, Nonce32) and the one budget check. The edges (HTTP
// over libcurl, Ledger behind the PaymentLedger protocol over GRDB/SQLite or PostgreSQL (libpq,
// through PostgresClient), ChainRPC over HTTP,
// PurseMCP over stdio) sit behind small protocols. PurseTesting holds test doubles and test-only
// helpers.
// Solana (pure: keys, ATAs, v0 transactions, the `exact` payment) sits beside EVM, and its edge
// SolanaRPC (JSON-RPC over HTTP, the keypair file) beside ChainRPC: SolanaRPC -> {Solana, HTTP} -> PurseCore.
// Wallet uses both: the flow plans a Solana payment with the pure module (no IO), and the driver's
// chain reader, the reconciler and the balance reader ask the node through SolanaRPC.
import PackageDescription

let package = Package(
    name: "Purse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "purse", targets: ["purse"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    ],
    targets: [
        // System libraries (Debian: libsecp256k1-dev, libcurl4-openssl-dev, libpq-dev; SQLite comes via GRDB).
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1", providers: [.apt(["libsecp256k1-dev"])]),
        // libpq (Debian: libpq-dev for the header, libpq5 at run time) is loaded with dlopen on the
        // first PostgreSQL connection (CLibPQ/LazyPQ.c): a SQLite-only process never maps it and
        // its TLS, Kerberos and LDAP libraries.
        .target(name: "CLibPQ", dependencies: ["CLazyLoad"]),

        // libcurl's headers (libcurl4-openssl-dev) with libcurl itself loaded by dlopen on the first
        // request (CCurl/LazyCurl.c): an idle `purse serve` never maps libcurl and its TLS stack.
        .target(name: "CCurl", dependencies: ["CLazyLoad"]),
        // What the two lazily loaded C libraries share: dlopen the first candidate, dlsym with a reason.
        // The export: GnuTLS's implicit initialization is skipped through a function the process
        // defines (CLazyLoad/lazy_load.c), which libgnutls can only bind to when it is exported.
        .target(name: "CLazyLoad", linkerSettings: [
            .linkedLibrary("dl", .when(platforms: [.linux])),
            .unsafeFlags(["-Xlinker", "--export-dynamic-symbol=_gnutls_global_init_skip"], .when(platforms: [.linux])),
        ]),

        // Pure core: no IO.
        .target(name: "PurseCore"),
        .target(name: "EVM", dependencies: [
            "PurseCore", "CSecp256k1",
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "X402", dependencies: ["PurseCore"]),
        // Solana: base58, keys, our own off-curve test and ATA derivation, v0 transactions, the
        // x402 `exact` payment and its validator. Pure (Ed25519 and SHA-256 from swift-crypto).
        .target(name: "Solana", dependencies: ["PurseCore", .product(name: "Crypto", package: "swift-crypto")]),
        // The human's configuration file: parsing and validation only (no network, no database).
        .target(name: "WalletConfig", dependencies: ["PurseCore", "X402"]),

        // Edges.
        // Threads that may block, for tasks that prefer them: blocking calls then run inline.
        .target(name: "BlockingWork"),
        .target(name: "HTTP", dependencies: ["PurseCore", "CCurl", "BlockingWork"]),
        .target(name: "ChainRPC", dependencies: ["PurseCore", "EVM", "HTTP"]),
        // Solana's edges: JSON-RPC over HTTP, and the Solana CLI keypair file on disk.
        .target(name: "SolanaRPC", dependencies: ["PurseCore", "Solana", "HTTP"]),
        // Purse's MCP client for upstream servers: stdio children and Streamable HTTP (over HTTP).
        .target(name: "MCPUpstream", dependencies: ["PurseCore", "HTTP"]),
        // A synchronous PostgreSQL client over libpq, for the fleet ledger (one budget, many machines).
        .target(name: "PostgresClient", dependencies: ["PurseCore", "CLibPQ"]),
        // The ledger: one protocol, two backends (SQLite for one machine, PostgreSQL for a fleet),
        // one row decoder and one budget check for both.
        .target(name: "Ledger", dependencies: [
            "PurseCore", "PostgresClient", .product(name: "GRDB", package: "GRDB.swift"),
            // The SQLite C API, for syncing the write-ahead log outside the write lock (WALSync).
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            // statfs, which Swift's Glibc does not import: is the ledger's file system in memory (WALPreallocation).
            "CFileSystem",
        ]),
        .target(name: "CFileSystem"),

        // The spend report page (HTML + inline SVG), pure: data in, text out.
        .target(name: "SpendReport", dependencies: ["PurseCore", "Ledger"]),

        // The payment pipeline, and its two faces.
        .target(name: "Wallet", dependencies: ["PurseCore", "EVM", "X402", "WalletConfig", "HTTP", "ChainRPC", "Ledger", "Solana", "SolanaRPC", "MCPUpstream", "BlockingWork"]),
        // First run: `purse init` (keystore, config, host registration with in-place JSON edits,
        // backups, atomic writes) and `purse doctor` (every check a payment depends on).
        .target(name: "PurseSetup", dependencies: ["PurseCore", "EVM", "X402", "WalletConfig", "HTTP", "ChainRPC", "Ledger", "PostgresClient", "Wallet", "Solana", "SolanaRPC"]),
        .target(name: "PurseMCP", dependencies: [
            "PurseCore", "Wallet", "Ledger", "X402", "HTTP", "CMallocArenas", "BlockingWork",
            .product(name: "MCP", package: "swift-sdk"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "PurseCLI", dependencies: [
            "PurseCore", "EVM", "X402", "HTTP", "Ledger", "Wallet", "PurseMCP", "PurseSetup", "SpendReport", "Solana", "SolanaRPC", "BlockingWork",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "purse", dependencies: ["PurseCLI", "CMallocArenas", "BlockingWork"]),
        // glibc malloc for `purse`: one arena, set by a constructor before main, and the free heap
        // given back once a burst of MCP work has ended (malloc_arenas.c says why).
        .target(name: "CMallocArenas"),
        // Test doubles (an in-memory HTTP client) and raw-SQL helpers for the ledger tests.
        .target(name: "PurseTesting", dependencies: ["HTTP", "Ledger", "PostgresClient", .product(name: "GRDB", package: "GRDB.swift")]),
        // Benchmarks (scripts/bench): Purse's own numbers for the performance table.
        .executableTarget(name: "purse-bench", dependencies: ["PurseCore", "EVM", "X402", "HTTP", "Ledger", "PostgresClient", "Wallet", "SpendReport", "PurseTesting", "Solana", "CMallocArenas", "BlockingWork"], path: "Sources/PurseBench"),
        // libFuzzer target over the parsers (scripts/fuzz); without -sanitize=fuzzer it replays a corpus.
        .executableTarget(name: "purse-fuzz", dependencies: ["PurseCore", "X402", "WalletConfig"], path: "Sources/PurseFuzz"),

        .testTarget(name: "PurseCoreTests", dependencies: ["PurseCore"]),
        .testTarget(name: "BlockingWorkTests", dependencies: ["BlockingWork"]),
        .testTarget(name: "MCPUpstreamTests", dependencies: ["MCPUpstream", "PurseCore", "HTTP", "PurseTesting"]),
        .testTarget(name: "EVMTests", dependencies: ["EVM", "PurseCore", "PurseTesting"], exclude: ["Support"]),
        .testTarget(name: "X402Tests", dependencies: ["X402", "PurseCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "PurseCore", "PurseTesting"], exclude: ["Support/http_test_server.py"]),
        .testTarget(name: "SolanaTests", dependencies: ["Solana", "PurseCore", "PurseTesting"], exclude: ["Support"]),
        .testTarget(name: "SolanaRPCTests", dependencies: ["SolanaRPC", "Solana", "HTTP", "PurseCore", "PurseTesting"], exclude: ["Support"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ChainRPCTests", dependencies: ["ChainRPC", "HTTP", "EVM", "PurseCore", "PurseTesting"]),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "PostgresClient", "PurseCore", "PurseTesting"]),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "PurseCore"]),
        .testTarget(name: "WalletTests", dependencies: ["BlockingWork", "Wallet", "X402", "EVM", "HTTP", "ChainRPC", "Ledger", "PurseCore", "PurseTesting", "Solana", "SolanaRPC", "MCPUpstream", "WalletConfig"]),
        .testTarget(name: "PurseMCPTests", dependencies: ["PurseMCP", "Wallet", "Ledger", "X402", "PurseCore", "HTTP", "PurseTesting", .product(name: "MCP", package: "swift-sdk"), .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "PurseCLITests", dependencies: ["PurseCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "PurseSetupTests", dependencies: ["PurseSetup", "WalletConfig", "EVM", "HTTP", "PurseCore", "PurseTesting", "Solana", "Ledger"]),
        .testTarget(name: "SpendReportTests", dependencies: ["SpendReport", "Ledger", "PurseCore"]),
    ]
)
