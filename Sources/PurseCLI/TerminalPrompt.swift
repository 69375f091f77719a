import Foundation
import PurseCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A question put to the human on the controlling terminal (`/dev/tty`), never on stdin:
/// an approval must come from a person at the keyboard, not from whatever a script or an agent
/// pipes into the command.
enum TerminalPrompt {
    /// Writes `question` to the terminal and reads one line from it.
    /// - Throws: `CLIExitError` (`approval.no_terminal`) when there is no terminal to ask on.
    static func ask(_ question: String) throws -> String {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else {
            throw CLIExitError("approval.no_terminal", "there is no terminal to ask on; run `purse approve` in a terminal, or pass --yes after reading the details")
        }
        defer { close(fd) }
        _ = question.withCString { write(fd, $0, strlen($0)) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1, byte != 0x0A { line.append(byte) }
        return String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
