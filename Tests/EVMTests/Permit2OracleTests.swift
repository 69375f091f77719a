// Purse — EVM tests.
// Random Permit2 witness transfers (x402 exact and upto) and EIP-2612 permits, signed by Purse
// and checked by eth-account (Support/eth_oracle.py `typed`): same digest, same RFC 6979
// signature, recovered to the signer. Run with PURSE_TEST_PYTHON set.

import Foundation
import PurseCore
import Testing

@testable import EVM

@Suite(.enabled(if: ProcessInfo.processInfo.environment["PURSE_TEST_PYTHON"] != nil, "set PURSE_TEST_PYTHON to a Python with eth-account"))
struct Permit2OracleTests {
    static func field(_ name: String, _ type: String) -> JSONValue { ["name": .string(name), "type": .string(type)] }

    func roundTrip(_ typed: JSONValue, digest: [UInt8], key: PrivateKey) async throws {
        let signature = key.sign(digest: digest)
        let reply = try await PythonOracle.run("typed", [
            "typed": typed, "signature": .string(signature.hex), "key": .string(key.withUnsafeKeyBytes { Hex.encode($0) }),
        ])
        #expect(reply["digest"]?.stringValue == Hex.encode(digest))
        #expect(reply["address"]?.stringValue == key.address.checksummed)
        #expect(reply["signature"]?.stringValue == signature.hex)
    }

    @Test(arguments: 0..<6)
    func permitWitnessTransferFrom(round: Int) async throws {
        let key = PrivateKey.random()
        let upto = round % 2 == 1
        let (to, facilitator) = (EthAccountOracleTests.randomAddress(), EthAccountOracleTests.randomAddress())
        let validAfter = EthAccountOracleTests.randomUInt256()
        let message = PermitWitnessTransferFrom(
            token: EthAccountOracleTests.randomAddress(), amount: EthAccountOracleTests.randomUInt256(),
            spender: EthAccountOracleTests.randomAddress(), nonce: EthAccountOracleTests.randomUInt256(),
            deadline: EthAccountOracleTests.randomUInt256(),
            witness: upto ? .upto(to: to, facilitator: facilitator, validAfter: validAfter) : .exact(to: to, validAfter: validAfter))
        let domain = Permit2Domain(chainId: [1, 8453, 84532, 31337, UInt64.max, 4326][round], verifyingContract: EthAccountOracleTests.randomAddress())
        var witnessFields: [JSONValue] = [Self.field("to", "address")]
        var witness: JSONObject = ["to": .string(to.checksummed)]
        if upto {
            witnessFields.append(Self.field("facilitator", "address"))
            witness["facilitator"] = .string(facilitator.checksummed)
        }
        witnessFields.append(Self.field("validAfter", "uint256"))
        witness["validAfter"] = .string(validAfter.decimalString)
        let typed: JSONValue = [
            "types": [
                "EIP712Domain": [Self.field("name", "string"), Self.field("chainId", "uint256"), Self.field("verifyingContract", "address")],
                "PermitWitnessTransferFrom": [
                    Self.field("permitted", "TokenPermissions"), Self.field("spender", "address"), Self.field("nonce", "uint256"),
                    Self.field("deadline", "uint256"), Self.field("witness", "Witness"),
                ],
                "TokenPermissions": [Self.field("token", "address"), Self.field("amount", "uint256")],
                "Witness": .array(witnessFields),
            ],
            "primaryType": "PermitWitnessTransferFrom",
            "domain": ["name": "Permit2", "chainId": .string(String(domain.chainId)), "verifyingContract": .string(domain.verifyingContract.checksummed)],
            "message": [
                "permitted": ["token": .string(message.token.checksummed), "amount": .string(message.amount.decimalString)],
                "spender": .string(message.spender.checksummed), "nonce": .string(message.nonce.decimalString),
                "deadline": .string(message.deadline.decimalString), "witness": .object(witness),
            ],
        ]
        try await roundTrip(typed, digest: message.digest(domain: domain), key: key)
    }

    @Test(arguments: 0..<4)
    func eip2612Permit(round: Int) async throws {
        let key = PrivateKey.random()
        let permit = EIP2612Permit(owner: key.address, spender: EthAccountOracleTests.randomAddress(), value: EthAccountOracleTests.randomUInt256(),
                                   nonce: EthAccountOracleTests.randomUInt256(), deadline: EthAccountOracleTests.randomUInt256())
        let domain = EIP712Domain(name: ["Permit USD", "USD Coin", "Mezo USD ✓", ""][round], version: String(round + 1),
                                  chainId: [1, 84532, 31611, UInt64.max][round], verifyingContract: EthAccountOracleTests.randomAddress())
        let typed: JSONValue = [
            "types": [
                "EIP712Domain": [Self.field("name", "string"), Self.field("version", "string"), Self.field("chainId", "uint256"),
                                 Self.field("verifyingContract", "address")],
                "Permit": [Self.field("owner", "address"), Self.field("spender", "address"), Self.field("value", "uint256"),
                           Self.field("nonce", "uint256"), Self.field("deadline", "uint256")],
            ],
            "primaryType": "Permit",
            "domain": ["name": .string(domain.name), "version": .string(domain.version), "chainId": .string(String(domain.chainId)),
                       "verifyingContract": .string(domain.verifyingContract.checksummed)],
            "message": [
                "owner": .string(permit.owner.checksummed), "spender": .string(permit.spender.checksummed),
                "value": .string(permit.value.decimalString), "nonce": .string(permit.nonce.decimalString),
                "deadline": .string(permit.deadline.decimalString),
            ],
        ]
        try await roundTrip(typed, digest: permit.digest(domain: domain), key: key)
    }
}
