// Purse — EVM tests.
// Permit2 PermitWitnessTransferFrom (x402 exact and upto witnesses) and EIP-2612 Permit digests
// and signatures, pinned against eth-account: the literals below are the output of
// Support/permit2_vectors.py (eth-account's encode_typed_data and sign_message over the types the
// x402 SDK signs), run with the test venv.

import PurseCore
import Testing

@testable import EVM

@Suite struct Permit2TypedDataTests {
    static let key = try! PrivateKey(hex: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
    static let permit2 = try! Address(parsing: "0x000000000022D473030F116dDEE9F6B43aC78BA3")
    static let exactProxy = try! Address(parsing: "0x402085c248EeA27D92E8b30b2C58ed07f9E20001")
    static let uptoProxy = try! Address(parsing: "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002")
    static let token = try! Address(parsing: "0x04A71E3fb9921888997Aa8BD93c9F6C31D2af578")
    static let payTo = try! Address(parsing: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
    static let facilitator = try! Address(parsing: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
    static let nonce = UInt256(bytes32: try! Hex.decode("0xf3746613c2d920b5fdabc0856f2aeb2d4f88ee6037b8cc5d04a71a4462f13480"))
    static let domain = Permit2Domain(chainId: 84532, verifyingContract: permit2)

    func check(digest: [UInt8], _ expectedDigest: String, _ expectedSignature: String) throws {
        #expect(Hex.encode(digest) == expectedDigest)
        let signature = Self.key.sign(digest: digest)
        #expect(signature.hex == expectedSignature)  // RFC 6979: the same bytes as eth-account
        #expect(try signature.recoverAddress(digest: digest) == Self.key.address)
    }

    @Test func exactWitness() throws {
        let message = PermitWitnessTransferFrom(
            token: Self.token, amount: UInt256(10_000), spender: Self.exactProxy, nonce: Self.nonce, deadline: UInt256(1_900_000_000),
            witness: .exact(to: Self.payTo, validAfter: UInt256(1_740_672_089)))
        #expect(message.typeString == "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)")
        try check(digest: message.digest(domain: Self.domain),
                  "0x3f54f985150d52331b6166cabde5fb76c7344a65348fb12947ad1c8ce2fb6425",
                  "0xeea7f945a27ab631232988d8f7f7f0a5b82f773145c15b5d16cc63ebb8147208641008801f9fd9d375ea23d510447160c37277429b8bfc06eb84e8a6094f2e5d1b")
    }

    @Test func uptoWitnessNamesTheFacilitator() throws {
        let message = PermitWitnessTransferFrom(
            token: Self.token, amount: UInt256(50_000), spender: Self.uptoProxy, nonce: Self.nonce, deadline: UInt256(1_900_000_000),
            witness: .upto(to: Self.payTo, facilitator: Self.facilitator, validAfter: UInt256(1_740_672_089)))
        #expect(message.typeString.hasSuffix("Witness(address to,address facilitator,uint256 validAfter)"))
        try check(digest: message.digest(domain: Self.domain),
                  "0xc7779104068d343fc8ffee42626f1ce289f223c4a9d9074951e834e37e781ccb",
                  "0x15918f253e464e39d50f85558ad4c4116c21e49f2d498cb7c762606b756ae780264e548271ec1d6bc5e3e9996f6f06598f1434014e397b4f3fd132ca0fc8d3ec1c")
        // Another facilitator is another message: a permit cannot be settled by anyone else.
        var other = message
        other.witness = .upto(to: Self.payTo, facilitator: Self.payTo, validAfter: UInt256(1_740_672_089))
        #expect(other.digest(domain: Self.domain) != message.digest(domain: Self.domain))
    }

    @Test func eip2612PermitForPermit2() throws {
        let permit = EIP2612Permit(owner: Self.key.address, spender: Self.permit2, value: UInt256(10_000), nonce: UInt256(3),
                                   deadline: UInt256(1_900_000_000))
        #expect(Hex.encode(EIP2612Permit.typeHash) == "0x6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9")
        let domain = EIP712Domain(name: "Permit USD", version: "1", chainId: 84532, verifyingContract: Self.token)
        try check(digest: permit.digest(domain: domain),
                  "0x00dd9968d8b8d6a73c760daa68ec880a5c9ab6ac1847e880df318cde26edc701",
                  "0x918aacd257c7270ebc6c147dcb81fd633aedb4158d9ef1e21779d854ae03fb327dcb0ab5f31fee9377c71b3d4cc235fa3df5fae48ab8dd42ce5f86a94ac2ad321b")
    }

    @Test func permit2Calls() {
        #expect(Hex.encode(ABI.allowanceCall(owner: Self.key.address, spender: Self.permit2).prefix(4)) == "0xdd62ed3e")
        #expect(Hex.encode(ABI.noncesCall(owner: Self.key.address).prefix(4)) == "0x7ecebe00")
        #expect(Hex.encode(ABI.domainSeparatorCall()) == "0x3644e515")
        #expect(Hex.encode(ABI.nonceBitmapCall(owner: Self.key.address, nonce: Self.nonce).prefix(4)) == "0x4fe02b44")
    }

    @Test func nonceBitmapWordAndBit() {
        // nonce = 0x…0142: word 1, bit 0x42 = 66 → byte 31 - 8 = 23, mask 1 << 2.
        let nonce = UInt256(0x0142)
        #expect(ABI.permit2WordPosition(nonce) == UInt256(1))
        var word = [UInt8](repeating: 0, count: 32)
        #expect(!ABI.permit2NonceIsUsed(nonce, bitmap: UInt256(bytes32: word)))
        word[23] = 1 << 2
        #expect(ABI.permit2NonceIsUsed(nonce, bitmap: UInt256(bytes32: word)))
        #expect(!ABI.permit2NonceIsUsed(UInt256(0x0141), bitmap: UInt256(bytes32: word)))
        #expect(ABI.permit2WordPosition(Self.nonce).bytes32 == [0] + Array(Self.nonce.bytes32.dropLast()))
    }
}
