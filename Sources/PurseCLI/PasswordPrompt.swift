import ArgumentParser
import Foundation

/// Asks the human for a password on the terminal, with echo off (`keygen` and `init`).
enum PasswordPrompt {
    /// Whether standard input is a terminal that can be asked.
    static var canAsk: Bool { isatty(0) != 0 }

    /// Reads a line from the terminal with echo off; nil at end of input.
    static func read(_ text: String) -> String? {
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

    /// Asks for a new password twice.
    ///
    /// - Throws: a usage error when input ends, the two differ, or the password is empty.
    static func newPassword() throws -> String {
        guard let first = read("New keystore password: "), let second = read("Repeat the password: ") else {
            throw CLIExit.fail(ValidationError("no password given"))
        }
        guard first == second else { throw CLIExit.fail(ValidationError("the passwords differ")) }
        guard !first.isEmpty else { throw CLIExit.fail(ValidationError("the password must not be empty")) }
        return first
    }
}

