// Purse — EVM tests.

import PurseCore
import Testing

@testable import EVM

/// The selector and topic literals below were computed independently of this code, with
/// Python's eth-utils: `eth_utils.keccak(text="balanceOf(address)").hex()` and so on.
@Suite struct ABITests {
    static let owner = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"

    @Test func selectors() {
        #expect(Hex.encode(ABI.selector("transfer(address,uint256)")) == "0xa9059cbb")
        #expect(Hex.encode(ABI.selector("balanceOf(address)")) == "0x70a08231")
        #expect(Hex.encode(ABI.selector("authorizationState(address,bytes32)")) == "0xe94a0102")
    }

    @Test func balanceOfCallData() throws {
        let data = ABI.balanceOfCall(owner: try Address(parsing: Self.owner))
        #expect(Hex.encode(data) == "0x70a08231000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266")
    }

    @Test func authorizationStateCallData() throws {
        let nonce = [UInt8](repeating: 0x11, count: 32)
        let data = ABI.authorizationStateCall(authorizer: try Address(parsing: Self.owner), nonce: nonce)
        #expect(data.count == 4 + 32 + 32)
        #expect(Hex.encode(data) == "0xe94a0102000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266"
            + String(repeating: "11", count: 32))
    }

    @Test func eventTopics() {
        #expect(Hex.encode(ABI.transferTopic) == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
        #expect(Hex.encode(ABI.authorizationUsedTopic) == "0x98de503528ee59b575ef0c0a2576a82497bfc029a5685b209e9ec333479b10a5")
    }

    @Test func decodeUInt256() throws {
        #expect(try ABI.decodeUInt256(UInt256(10000).bytes32) == UInt256(10000))
        #expect(throws: ABIError.emptyReturn) { try ABI.decodeUInt256([]) }
        #expect(throws: ABIError.badLength) { try ABI.decodeUInt256([UInt8](repeating: 0, count: 31)) }
        #expect(throws: ABIError.badLength) { try ABI.decodeUInt256([UInt8](repeating: 0, count: 64)) }
    }

    @Test func decodeBool() throws {
        #expect(try ABI.decodeBool(UInt256(1).bytes32) == true)
        #expect(try ABI.decodeBool(UInt256(0).bytes32) == false)
        #expect(throws: ABIError.badBool) { try ABI.decodeBool(UInt256(2).bytes32) }
        #expect(throws: ABIError.badBool) { try ABI.decodeBool([1] + [UInt8](repeating: 0, count: 30) + [1]) }
        #expect(throws: ABIError.emptyReturn) { try ABI.decodeBool([]) }
        #expect(throws: ABIError.badLength) { try ABI.decodeBool([1]) }
    }

    @Test func errorCodes() {
        #expect([ABIError.emptyReturn, .badLength, .badBool].map(\.code) == ["abi.empty_return", "abi.bad_length", "abi.bad_bool"])
    }
}
