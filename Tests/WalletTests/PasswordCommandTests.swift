import EVM
import Foundation
import Testing
@testable import Wallet

/// `key.passwordCommand`: the first line of the command's output is the password; failures,
/// hangs and silence are coded errors within the timeout; nothing goes through a shell; the
/// command cannot read Purse's stdin.
@Suite struct PasswordCommandTests {
    let dir: String
    let env: [String: String]

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("purse-pwcmd-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        env = ["PATH": dir + ":/usr/bin:/bin", "HOME": dir]
    }

    /// Writes an executable shell script named `name` into the temp dir.
    func script(_ name: String, _ body: String) throws -> String {
        let path = dir + "/" + name
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o700)
        return path
    }

    func run(_ argv: [String], timeout: Double = 5) -> Result<String, KeyLoadError> {
        Result { () throws(KeyLoadError) -> String in try PasswordCommand(argv: argv, timeoutSeconds: timeout).run(environment: env) }
    }

    @Test func theFirstLineOfStdoutIsThePassword() throws {
        _ = try script("pw-ok", "printf 'correct horse\\nsecond line\\n'")
        #expect(try run(["pw-ok"]).get() == "correct horse", "found on PATH, first line only")
        let crlf = try script("pw-crlf", "printf 's3cret\\r\\n'")
        #expect(try run([crlf]).get() == "s3cret")
        let bare = try script("pw-bare", "printf 'no-newline'")
        #expect(try run([bare]).get() == "no-newline")
    }

    @Test func argumentsReachTheProgramUninterpreted() throws {
        let echo = try script("pw-echo", "printf '%s|%s\\n' \"$1\" \"$2\"")
        #expect(try run([echo, "$HOME; rm -rf /", "*"]).get() == "$HOME; rm -rf /|*")
    }

    @Test func stdinIsNotPursesStdin() throws {
        // A helper that tries to prompt on stdin reads end-of-file at once instead of hanging.
        let reader = try script("pw-read", "read line; printf 'got:%s\\n' \"$line\"")
        #expect(try run([reader], timeout: 3).get() == "got:")
    }

    @Test func failuresAreCodedAndNeverQuoteTheOutput() throws {
        let failing = try script("pw-fail", "echo 'leaked-secret'; echo 'no such secret' >&2; exit 3")
        let e = try #require(run([failing]).failure)
        #expect(e.code == "key.password_command_failed")
        #expect(e.message.contains("exited with status 3"))
        #expect(!e.message.contains("leaked-secret"))

        let silent = try script("pw-silent", "exit 0")
        #expect(run([silent]).failure?.code == "key.password_command_empty")
        let blank = try script("pw-blank", "printf '\\nsecond\\n'")
        #expect(run([blank]).failure?.code == "key.password_command_empty")

        #expect(run(["no-such-helper-\(UUID().uuidString)"]).failure?.code == "key.password_command_not_found")
        #expect(run([dir + "/absent"]).failure?.code == "key.password_command_not_found")
        let killed = try script("pw-killed", "kill -9 $$")
        let killedError = run([killed]).failure
        #expect(killedError?.message.contains("signal 9") == true, "\(String(describing: killedError))")
        let noisy = try script("pw-noisy", "head -c 200000 /dev/zero | tr '\\0' a")
        #expect(run([noisy]).failure?.code == "key.password_command_failed")
    }

    @Test func aHangingCommandIsStoppedAtItsTimeout() throws {
        let hang = try script("pw-hang", "sleep 30")
        let started = Date()
        let e = run([hang], timeout: 1).failure
        let took = Date().timeIntervalSince(started)
        #expect(e?.code == "key.password_command_timeout")
        #expect(e?.message.contains("within 1 s") == true)
        #expect(took >= 0.9 && took < 3, "stopped at its 1 s bound (took \(took) s): \(String(describing: e))")
    }

    @Test func aHelperThatClosesItsOutputButLingersIsStoppedToo() throws {
        // Prints the password, closes stdout, then keeps running; and a background child that
        // keeps the pipe open must not make Purse wait past the deadline either.
        let lingering = try script("pw-linger", "printf 'pw\\n'; exec >&-; sleep 30")
        let started = Date()
        let lingered = run([lingering], timeout: 1).failure
        #expect(lingered?.code == "key.password_command_timeout", "\(String(describing: lingered))")
        let backgrounded = try script("pw-bg", "sleep 30 & printf 'pw\\n'; wait")
        #expect(run([backgrounded], timeout: 1).failure?.code == "key.password_command_timeout")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func theChildInheritsNoOtherDescriptor() throws {
        // A descriptor Purse holds (here a plain file opened without O_CLOEXEC, standing for the
        // ledger) must not be open in the helper.
        let secretFile = dir + "/ledger.db"
        let fd = open(secretFile, O_CREAT | O_RDWR, 0o600)
        #expect(fd > 2)
        defer { close(fd) }
        let outcome = try ChildProcess.run(["/bin/ls", "-l", "/proc/self/fd/"], environment: env, timeoutSeconds: 5, captureOutput: true)
        let listing = String(decoding: outcome.output, as: UTF8.self)
        #expect(outcome.exitCode == 0)
        #expect(listing.contains("/dev/null"), "stdin is /dev/null: \(listing)")
        #expect(!listing.contains("ledger.db"), "\(listing)")
    }

    @Test func keyLoaderOpensAKeystoreWithTheCommand() throws {
        let key = try PrivateKey(hex: WalletFixture.payerKeyHex)
        let json = try Keystore.encrypt(key, password: "from the vault", kdf: .pbkdf2(iterations: 1_000))
        let ks = dir + "/ks.json"
        try Data(json).write(to: URL(fileURLWithPath: ks))
        _ = try script("vault", "printf 'from the vault\\n'")
        var config = PurseConfig()
        config.key = .keystore(path: ks, password: .command(argv: ["vault"], timeoutSeconds: 5))
        let (loaded, source) = try KeyLoader.load(config: config, environment: env)
        #expect(loaded.address == key.address && source == .keystore(ks))

        _ = try script("wrong-vault", "printf 'nope\\n'")
        config.key = .keystore(path: ks, password: .command(argv: ["wrong-vault"], timeoutSeconds: 5))
        #expect(throws: KeyLoadError.self) { try KeyLoader.load(config: config, environment: env) }
    }
}

extension Result {
    /// The error, when this is a failure.
    var failure: Failure? {
        if case let .failure(e) = self { return e }
        return nil
    }
}
