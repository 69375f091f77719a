/// Where the wallet's key comes from when `PURSE_PRIVATE_KEY` is not set.
public enum KeyConfig: Sendable, Equatable {
    /// A file holding the 0x-hex key; must be mode 0600 or stricter.
    case file(String)
    /// An Ethereum V3 keystore and the name of the environment variable holding its password.
    case keystore(path: String, passwordEnv: String)
}
