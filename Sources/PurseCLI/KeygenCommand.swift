import ArgumentParser
import EVM
import Foundation

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
        let params: Keystore.KDFParams
        switch kdf {
        case "scrypt": params = .scryptStandard
        case "pbkdf2": params = .pbkdf2(iterations: 262_144)
        default: throw ValidationError("--kdf must be scrypt or pbkdf2")
        }
        let password: String
        if let p = ProcessInfo.processInfo.environment["PURSE_KEY_PASSWORD"] {
            password = p
        } else {
            guard isatty(0) != 0 else {
                throw CLIExit.fail(ValidationError("no password: set PURSE_KEY_PASSWORD or run in a terminal to be asked"))
            }
            guard let first = Self.prompt("New keystore password: "), let second = Self.prompt("Repeat the password: ") else {
                throw CLIExit.fail(ValidationError("no password given"))
            }
            guard first == second else { throw CLIExit.fail(ValidationError("the passwords differ")) }
            password = first
        }
        guard !password.isEmpty else { throw CLIExit.fail(ValidationError("the password must not be empty")) }
        let key = PrivateKey.random()
        let json: [UInt8]
        do { json = try Keystore.encrypt(key, password: password, kdf: params) } catch { throw CLIExit.fail(error) }
        let fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let why = errno == EEXIST ? "\(out) already exists; Purse never overwrites a keystore" : "cannot create \(out): \(String(cString: strerror(errno)))"
            throw CLIExit.fail(ValidationError(why))
        }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let written = json.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == json.count, fsync(fd) == 0 else { throw CLIExit.fail(ValidationError("could not write \(out)")) }
        stdout("\(key.address.checksummed)\n")
        stderr("purse: wrote keystore \(out) (mode 0600). Use it with \"key\": {\"keystore\": \"\(out)\", \"passwordEnv\": \"PURSE_KEY_PASSWORD\"}")
    }

    /// Reads a line from the terminal with echo off.
    static func prompt(_ text: String) -> String? {
        FileHandle.standardError.write(Data(text.utf8))
        var old = termios()
        tcgetattr(0, &old)
        var quiet = old
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSANOW, &quiet)
        defer {
            tcsetattr(0, TCSANOW, &old)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }
}
