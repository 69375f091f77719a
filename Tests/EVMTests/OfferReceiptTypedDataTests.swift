// Purse — EVM tests.
// Fixed vectors computed independently with eth-account 0.14 (encode_typed_data, encode_defunct,
// Account.sign_message) and the siwe package: the Anvil/Hardhat development keys #0 and #1.

import PurseCore
import Testing

@testable import EVM

@Suite struct OfferReceiptTypedDataTests {
    static let key0 = try! PrivateKey(hex: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
    static let key1 = try! PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")

    static let offer = OfferTypedData(
        version: UInt256(1), resourceUrl: "http://seller.test/weather", scheme: "exact", network: "eip155:84532",
        asset: "0x5FbDB2315678afecb367f032d93F642f64180aa3", payTo: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
        amount: "10000", validUntil: UInt256(1_900_000_000))
    static let offerSignature = "0xfdc926404e693a73748eff3f02afa5117ab3f8df9845ea4979850e8924dccbe4327bbfea349f28224bc3904abf3401cbeae6b8af44f312b406500a83f453e2951b"

    static let receipt = ReceiptTypedData(
        version: UInt256(1), network: "eip155:84532", resourceUrl: "http://seller.test/weather",
        payer: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", issuedAt: UInt256(1_800_000_000),
        transaction: "0x" + String(repeating: "ab", count: 32))
    static let receiptSignature = "0x47d2db8a1c66efa2e23700b716338d7c54f8a8771aaa6875f75b06adce1f60c40687425eb9237fb71a58319a2aedbff5d6b8268fdecacf8fc89f8c7690f8995d1c"

    @Test func offerDigestMatchesEthAccount() {
        #expect(Hex.encode(Self.offer.digest) == "0x1c68c1a30f75c848f4e760c38105c89282314cf9c75e2623120a85720ce51219")
    }

    @Test func offerSignatureRecoversTheSignerAndIsReproduced() throws {
        let signature = try Signature(hex: Self.offerSignature)
        #expect(try signature.recoverAddress(digest: Self.offer.digest) == Self.key1.address)
        #expect(Self.key1.sign(digest: Self.offer.digest).hex == Self.offerSignature)
    }

    @Test func anyChangedFieldRecoversAnotherAddress() throws {
        let signature = try Signature(hex: Self.offerSignature)
        var tampered = Self.offer
        tampered.payTo = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
        #expect(try signature.recoverAddress(digest: tampered.digest) != Self.key1.address)
        tampered = Self.offer
        tampered.amount = "5000"
        #expect(try signature.recoverAddress(digest: tampered.digest) != Self.key1.address)
        // Addresses are hashed as strings: a re-cased payTo is another message.
        tampered = Self.offer
        tampered.payTo = Self.offer.payTo.lowercased()
        #expect(try signature.recoverAddress(digest: tampered.digest) != Self.key1.address)
    }

    @Test func receiptDigestAndSignatureMatchEthAccount() throws {
        #expect(Hex.encode(Self.receipt.digest) == "0x3cf40e97c7b78afbd6cc2556b09d52d729242de0240b93d50006d5241c738a97")
        #expect(try Signature(hex: Self.receiptSignature).recoverAddress(digest: Self.receipt.digest) == Self.key1.address)
        #expect(Self.key1.sign(digest: Self.receipt.digest).hex == Self.receiptSignature)
    }

    @Test func theTwoDomainsDiffer() {
        #expect(OfferTypedData.domain.separator != ReceiptTypedData.domain.separator)
        #expect(OfferTypedData.domain.chainId == 1)
    }

    @Test func personalMessageSignaturesMatchEthAccount() throws {
        let withStatement = "127.0.0.1:34373 wants you to sign in with your Ethereum account:\n0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n\nSign in to the Purse test weather\n\nURI: http://127.0.0.1:34373/siwx-weather\nVersion: 1\nChain ID: 84532\nNonce: d6ae9f2119f61692def2b4de3b0135cb\nIssued At: 2026-11-30T08:48:07.680564Z\nExpiration Time: 2026-11-30T08:53:07.680582Z\nResources:\n- http://127.0.0.1:34373/siwx-weather"
        #expect(PersonalMessage(text: withStatement).sign(with: Self.key0).hex
            == "0x043d17a050e399a2c8d61ddce9175d2d4626d98359baa61bae20ef837f42e1cc4f0e0d01592eafe81206cc78e251a67554baf1aacef9ee92b52ebf448dea7b471b")
        let message = PersonalMessage(text: withStatement)
        #expect(try message.sign(with: Self.key0).recoverAddress(digest: message.digest) == Self.key0.address)
        // A personal message is never an EIP-712 digest of the same bytes.
        #expect(message.digest != Keccak256.hash(message.bytes))
    }
}
