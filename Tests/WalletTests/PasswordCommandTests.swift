import EVM
import Foundation
import PurseTesting
import Testing
@testable import Wallet

/// `key.passwordCommand`: the first line of the command's output is the password; failures,
/// hangs and silence are coded errors within the timeout; nothing goes through a shell; the
/// command cannot read Purse's stdin. The commands run off the cooperative pool (`offPool`): a
/// test waiting seconds for a hung helper must not starve the other suites.
@Suite struct PasswordCommandTests {
    /// The helper scripts (and HOME), removed when the test ends.
    let scratch: ScratchDirectory
    var dir: String { scratch.path }
    let env: [String: String]

    init() throws {
        scratch = try ScratchDirectory("purse-pwcmd")
        env = ["PATH": scratch.path + ":/usr/bin:/bin", "HOME": scratch.path]
    }

    /// Writes an executable shell script named `name` into the temp dir.
    func script(_ name: String, _ body: String) throws -> String {
        let path = dir + "/" + name
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o700)
        return path
    }

    func run(_ argv: [String], timeout: Double = 5) async -> Result<String, KeyLoadError> {
        await timed(argv, timeout: timeout).result
    }

    /// Runs the command and measures, on the thread that runs it, how long `run` took (so the
    /// time does not include waiting for a free cooperative thread on a loaded machine).
    func timed(_ argv: [String], timeout: Double) async -> (result: Result<String, KeyLoadError>, seconds: Double) {
        let env = self.env
        return await offPool {
            let start = Date()
            let result = Result { () throws(KeyLoadError) -> String in try PasswordCommand(argv: argv, timeoutSeconds: timeout).run(environment: env) }
            return (result, Date().timeIntervalSince(start))
        }
    }

    @Test func theFirstLineOfStdoutIsThePassword() async throws {
        _ = try script("pw-ok", "printf 'correct horse\\nsecond line\\n'")
        #expect(try await run(["pw-ok"]).get() == "correct horse", "found on PATH, first line only")
        let crlf = try script("pw-crlf", "printf 's3cret\\r\\n'")
        #expect(try await run([crlf]).get() == "s3cret")
        let bare = try script("pw-bare", "printf 'no-newline'")
        #expect(try await run([bare]).get() == "no-newline")
    }

    @Test func argumentsReachTheProgramUninterpreted() async throws {
        let echo = try script("pw-echo", "printf '%s|%s\\n' \"$1\" \"$2\"")
        #expect(try await run([echo, "$HOME; rm -rf /", "*"]).get() == "$HOME; rm -rf /|*")
    }

    @Test func stdinIsNotPursesStdin() async throws {
        // A helper that tries to prompt on stdin reads end-of-file at once instead of hanging.
        let reader = try script("pw-read", "read line; printf 'got:%s\\n' \"$line\"")
        #expect(try await run([reader], timeout: 3).get() == "got:")
    }

    @Test func failuresAreCodedAndNeverQuoteTheOutput() async throws {
        let failing = try script("pw-fail", "echo 'leaked-secret'; echo 'no such secret' >&2; exit 3")
        let e = try #require(await run([failing]).failure)
        #expect(e.code == "key.password_command_failed")
        #expect(e.message.contains("exited with status 3"))
        #expect(!e.message.contains("leaked-secret"))

        let silent = try script("pw-silent", "exit 0")
        #expect(await run([silent]).failure?.code == "key.password_command_empty")
        let blank = try script("pw-blank", "printf '\\nsecond\\n'")
        #expect(await run([blank]).failure?.code == "key.password_command_empty")

        #expect(await run(["no-such-helper-\(UUID().uuidString)"]).failure?.code == "key.password_command_not_found")
        #expect(await run([dir + "/absent"]).failure?.code == "key.password_command_not_found")
        let killed = try script("pw-killed", "kill -9 $$")
        let killedError = await run([killed]).failure
        #expect(killedError?.message.contains("signal 9") == true, "\(String(describing: killedError))")
        let noisy = try script("pw-noisy", "head -c 200000 /dev/zero | tr '\\0' a")
        #expect(await run([noisy]).failure?.code == "key.password_command_failed")
    }

    @Test func aHangingCommandIsStoppedAtItsTimeout() async throws {
        let hang = try script("pw-hang", "sleep 30")
        let (result, took) = await timed([hang], timeout: 1)
        let e = result.failure
        #expect(e?.code == "key.password_command_timeout")
        #expect(e?.message.contains("within 1 s") == true)
        #expect(took >= 0.9 && took < 2.5, "stopped at its 1 s bound (took \(took) s): \(String(describing: e))")
    }

    @Test func aHelperThatClosesItsOutputButLingersIsStoppedToo() async throws {
        // Prints the password, closes stdout, then keeps running; and a background child that
        // keeps the pipe open must not make Purse wait past the deadline either.
        let lingering = try script("pw-linger", "printf 'pw\\n'; exec >&-; sleep 30")
        let (lingered, t1) = await timed([lingering], timeout: 1)
        #expect(lingered.failure?.code == "key.password_command_timeout", "\(String(describing: lingered))")
        let backgrounded = try script("pw-bg", "sleep 30 & printf 'pw\\n'; wait")
        let (background, t2) = await timed([backgrounded], timeout: 1)
        #expect(background.failure?.code == "key.password_command_timeout")
        #expect(t1 < 2.5 && t2 < 2.5, "\(t1) s, \(t2) s")
    }

    @Test func theChildInheritsNoOtherDescriptor() async throws {
        // A descriptor Purse holds (here a plain file opened without O_CLOEXEC, standing for the
        // ledger) must not be open in the helper.
        let secretFile = dir + "/ledger.db"
        let fd = open(secretFile, O_CREAT | O_RDWR, 0o600)
        #expect(fd > 2)
        defer { close(fd) }
        let env = self.env
        let outcome = try await offPool {
            try ChildProcess.run(["/bin/ls", "-l", "/proc/self/fd/"], environment: env, timeoutSeconds: 5, captureOutput: true)
        }
        let listing = String(decoding: outcome.output, as: UTF8.self)
        #expect(outcome.exitCode == 0)
        #expect(listing.contains("/dev/null"), "stdin is /dev/null: \(listing)")
        #expect(!listing.contains("ledger.db"), "\(listing)")
    }

    @Test func keyLoaderOpensAKeystoreWithTheCommand() async throws {
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
