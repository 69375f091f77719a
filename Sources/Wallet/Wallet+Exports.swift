// The configuration types are part of the wallet's public face.
@_exported import WalletConfig
