/// Where the wallet's key comes from when `PURSE_PRIVATE_KEY` is not set.
public enum KeyConfig: Sendable, Equatable {
    /// A file holding the 0x-hex key; must be mode 0600 or stricter.
    case file(String)
    /// An Ethereum V3 keystore and where its password comes from.
    case keystore(path: String, password: KeystorePassword)

    /// A keystore whose password is in the environment variable `passwordEnv`.
    public static func keystore(path: String, passwordEnv: String) -> KeyConfig {
        .keystore(path: path, password: .environment(passwordEnv))
    }
}

/// Where a keystore's password comes from: `key.passwordEnv` or `key.passwordCommand`.
///
/// A command lets the password live in an OS secret store or a password manager (`secret-tool
/// lookup …`, `pass show …`, `op read …`) instead of in the environment, and so not in an LLM
/// host's config file either.
public enum KeystorePassword: Sendable, Equatable {
    /// The name of an environment variable holding the password.
    case environment(String)
    /// A command run without a shell: `argv[0]` is a path or a name looked up on `PATH`; the
    /// first line of its standard output is the password. It is stopped after `timeoutSeconds`.
    case command(argv: [String], timeoutSeconds: Int)

    /// The default for `key.passwordCommandTimeoutSeconds`: long enough for a password manager
    /// that asks the human to unlock it, short enough that a hung helper does not hang `serve`.
    public static let defaultCommandTimeoutSeconds = 30
    /// The bounds of `key.passwordCommandTimeoutSeconds`.
    public static let commandTimeoutRange = 1...300
}
