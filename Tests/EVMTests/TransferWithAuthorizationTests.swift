// Purse — EVM tests.
// Byte-exact EIP-712 vectors from docs/x402-protocol.md §7.

import PurseCore
import Testing

@testable import EVM

@Suite struct TransferWithAuthorizationTests {
    static let key = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"

    /// The derived message of §7: hardhat #0 pays 10000 to hardhat #1, nonce 0x11…11.
    static func derivedMessage() throws -> TransferWithAuthorization {
        TransferWithAuthorization(
            from: try Address(parsing: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
            to: try Address(parsing: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
            value: UInt256(10000), validAfter: UInt256(0), validBefore: UInt256(1_900_000_000),
            nonce: [UInt8](repeating: 0x11, count: 32))
    }

    struct DomainVector: Sendable, CustomTestStringConvertible {
        let name: String, version: String, chainId: UInt64, contract: String
        let separator: String, digest: String, signature: String
        var testDescription: String { "\(name)/\(chainId)" }
    }

    static let domainVectors = [
        DomainVector(
            name: "USDC", version: "2", chainId: 84532, contract: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
            separator: "0x71f17a3b2ff373b803d70a5a07c046c1a2bc8e89c09ef722fcb047abe94c9818",
            digest: "0xdf256a12d1f4a964a555b5ad7c2472389ca3f6c1c80b695baeed82e6fdba4fbd",
            signature: "0xac1eaff9461ee30b1a1fd0be4a95edee0c8fce2575e542521a9208339cc9f78a7837351aa0bfcd2c4d814d09dbd6586acef61f90fbb72c3fa0f36b34690256861b"),
        DomainVector(
            name: "USD Coin", version: "2", chainId: 8453, contract: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
            separator: "0x02fa7265e7c5d81118673727957699e4d68f74cd74b7db77da710fe8a2c7834f",
            digest: "0x9ec527fd101c51abac28dd7a60ae2408a450792bb8fc1f3bbe6bdde735f7f67d",
            signature: "0x6e725dfdfd650e8bcc1e4d6a9bc8f356bd22539a082524440a510b34feeddc114b696490355cde865fc04df462ea8d5ad5e6edf18a89a8c4fe2ec809c885eb0e1b"),
    ]

    @Test func typeHashes() {
        #expect(Hex.encode(TransferWithAuthorization.typeHash)
            == "0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267")
        #expect(Hex.encode(EIP712Domain.typeHash)
            == "0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f")
    }

    @Test func derivedStructHash() throws {
        #expect(Hex.encode(try Self.derivedMessage().structHash)
            == "0x26c13dd90e22a5c4e48a7473300d0b6b73e11f5f59586b70ae63f9051caff6e7")
    }

    @Test(arguments: domainVectors)
    func derivedDomainDigestAndSignature(vector: DomainVector) throws {
        let domain = EIP712Domain(
            name: vector.name, version: vector.version, chainId: vector.chainId,
            verifyingContract: try Address(parsing: vector.contract))
        let message = try Self.derivedMessage()
        #expect(Hex.encode(domain.separator) == vector.separator)
        let digest = message.digest(domain: domain)
        #expect(Hex.encode(digest) == vector.digest)

        let key = try PrivateKey(hex: Self.key)
        let signature = message.sign(domain: domain, with: key)
        #expect(signature.hex == vector.signature)
        #expect(signature == key.sign(digest: digest))
        #expect(signature.v == 27)
        #expect(signature.isLowS)
        #expect(try signature.recoverAddress(digest: digest) == key.address)
    }

    @Test func specExampleRecoversToFrom() throws {
        let from = try Address(parsing: "0x857b06519E91e3A54538791bDbb0E22373e36b66")
        let message = TransferWithAuthorization(
            from: from, to: try Address(parsing: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C"),
            value: UInt256(10000), validAfter: UInt256(1_740_672_089), validBefore: UInt256(1_740_672_154),
            nonce: try Hex.decode("0xf3746613c2d920b5fdabc0856f2aeb2d4f88ee6037b8cc5d04a71a4462f13480"))
        let usdcSepolia = EIP712Domain(
            name: "USDC", version: "2", chainId: 84532,
            verifyingContract: try Address(parsing: "0x036CbD53842c5426634e7929541eC2318f3dCF7e"))
        let signature = try Signature(hex: "0x2d6a7588d6acca505cbf0d9a4a227e0c52c6c34008c8e8986a1283259764173608a2ce6496642e377d6da8dbbf5836e9bd15092f9ecab05ded3d6293af148b571c")
        #expect(signature.v == 28)
        #expect(try signature.recoverAddress(digest: message.digest(domain: usdcSepolia)) == from)

        // The wrong domain name gives a valid but different signer, as the fact sheet notes.
        var usdCoin = usdcSepolia
        usdCoin.name = "USD Coin"
        #expect(try signature.recoverAddress(digest: message.digest(domain: usdCoin)) != from)
    }

    @Test func everyFieldChangesTheStructHash() throws {
        let base = try Self.derivedMessage()
        var variants = [base]
        var m = base; m.from = try Address(parsing: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"); variants.append(m)
        m = base; m.to = base.from; variants.append(m)
        m = base; m.value = UInt256(10001); variants.append(m)
        m = base; m.validAfter = UInt256(1); variants.append(m)
        m = base; m.validBefore = UInt256(1_900_000_001); variants.append(m)
        m = base; m.nonce[31] = 0x12; variants.append(m)
        #expect(Set(variants.map { Hex.encode($0.structHash) }).count == variants.count)
    }
}
