import ArgumentParser
import EVM
import Foundation
import PurseSetup
import Solana
import SolanaRPC

/// `purse keygen --out PATH`: writes a new encrypted V3 keystore, mode 0600, never overwriting.
/// `purse keygen --solana --out PATH`: writes a new Solana CLI keypair file (mode 0600, never
/// overwriting), the form `key.solana.file` reads and `solana-keygen` writes; it prints only the
/// public address.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create a new key: an encrypted V3 keystore (password from PURSE_KEY_PASSWORD or a prompt), or with --solana a Solana keypair file.")

    @Option(name: .long, help: "Where to write the key; an existing file is never overwritten.")
    var out: String

    @Option(name: .long, help: "Key derivation: scrypt (default, n=262144) or pbkdf2 (c=262144).")
    var kdf: String = "scrypt"

    @Flag(name: .long, help: "Write a Solana keypair file (JSON array of 64 bytes, mode 0600) instead of an EVM keystore.")
    var solana = false

    func run() throws {
        if solana {
            let keypair = SolanaKeypair.generate()
            do { try SolanaKeyFile.save(keypair, to: out) } catch { throw CLIExit.fail(error) }
            stdout("\(keypair.publicKey.base58)\n")
            stderr("purse: wrote Solana keypair \(out) (mode 0600). Use it with \"key\": {\"solana\": {\"file\": \"\(out)\"}}")
            return
        }
        let params = try Self.kdfParams(kdf)
        let password: String
        if let p = ProcessInfo.processInfo.environment["PURSE_KEY_PASSWORD"] {
            password = p
        } else {
            guard PasswordPrompt.canAsk else {
                throw CLIExit.fail(ValidationError("no password: set PURSE_KEY_PASSWORD or run in a terminal to be asked"))
            }
            password = try PasswordPrompt.newPassword()
        }
        guard !password.isEmpty else { throw CLIExit.fail(ValidationError("the password must not be empty")) }
        let address: Address
        do { address = try KeystoreFile.create(at: out, password: password, kdf: params) } catch { throw CLIExit.fail(error) }
        stdout("\(address.checksummed)\n")
        stderr("purse: wrote keystore \(out) (mode 0600). Use it with \"key\": {\"keystore\": \"\(out)\", \"passwordEnv\": \"PURSE_KEY_PASSWORD\"} or \"passwordCommand\": [PROGRAM, ARG…]")
    }

    /// `--kdf` as keystore parameters (shared with `init`).
    static func kdfParams(_ name: String) throws -> Keystore.KDFParams {
        switch name {
        case "scrypt": return .scryptStandard
        case "pbkdf2": return .pbkdf2(iterations: 262_144)
        default: throw ValidationError("--kdf must be scrypt or pbkdf2")
        }
    }
}
