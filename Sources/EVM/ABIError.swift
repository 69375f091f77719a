// Purse — EVM module.

import PurseCore

/// Why eth_call return data could not be decoded.
public enum ABIError: CodedError, Equatable {
    /// The call returned no data (`0x`), which usually means no contract is deployed there.
    case emptyReturn
    /// The data is not exactly one 32-byte word.
    case badLength
    /// A `bool` word holds something other than 0 or 1.
    case badBool

    /// The stable code, such as `abi.empty_return`.
    public var code: String {
        switch self {
        case .emptyReturn: "abi.empty_return"
        case .badLength: "abi.bad_length"
        case .badBool: "abi.bad_bool"
        }
    }

    /// A human-readable explanation.
    public var message: String {
        switch self {
        case .emptyReturn: "the contract call returned no data; check that a token contract exists at that address on this chain"
        case .badLength: "the contract call returned data that is not a single 32-byte word"
        case .badBool: "the contract call returned a boolean word that is neither 0 nor 1"
        }
    }
}
