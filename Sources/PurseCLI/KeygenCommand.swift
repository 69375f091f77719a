import ArgumentParser
import EVM
import Foundation
import PurseSetup

/// `purse keygen --out PATH`: writes a new encrypted V3 keystore, mode 0600, never overwriting.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create a new key in an encrypted V3 keystore (password from PURSE_KEY_PASSWORD or a prompt).")

    @Option(name: .long, help: "Where to write the keystore; an existing file is never overwritten.")
    var out: String

    @Option(name: .long, help: "Key derivation: scrypt (default, n=262144) or pbkdf2 (c=262144).")
    var kdf: String = "scrypt"

    func run() throws {
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
