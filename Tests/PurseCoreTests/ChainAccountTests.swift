import Testing
@testable import PurseCore

/// Accounts of either chain, in their own text forms, and the authorization reference's stored form.
@Suite struct ChainAccountTests {
    @Test(arguments: [
        ("61", "2g"), ("626262", "a3gV"), ("636363", "aPEr"),
        ("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"),
        ("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"),
        ("000000287fb4cd", "111233QC4"),
    ])
    func base58Vectors(hex: String, text: String) throws {
        let bytes = try Hex.decode(hex)
        #expect(Base58.encode(bytes) == text)
        #expect(try Base58.decode(text) == bytes)
    }

    @Test func base58RefusesWhatIsNotBase58() {
        #expect(throws: Base58Error.self) { try Base58.decode("0OIl") }
        #expect(throws: Base58Error.empty) { try Base58.decode("") }
        #expect(throws: Base58Error.wrongLength(expected: 2, actual: 1)) { try Base58.decode("2g", length: 2) }
    }

    @Test func accountsParseInTheirChainsForm() throws {
        let usdcMint = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
        let solana = try ChainAccount(parsing: usdcMint)
        #expect(solana.family == .solana && solana.text == usdcMint && solana.solanaAddress?.bytes.count == 32)
        let evm = try ChainAccount(parsing: "0x036cbd53842c5426634e7929541ec2318f3dcf7e")
        #expect(evm.family == .evm && evm.text == "0x036CbD53842c5426634e7929541eC2318f3dCF7e")
        #expect(throws: ChainAccountError.self) { try ChainAccount(parsing: usdcMint, family: .evm) }
        #expect(throws: ChainAccountError.self) { try ChainAccount(parsing: "0x036CbD53842c5426634e7929541eC2318f3dcf7e") }  // bad EIP-55
        #expect(throws: ChainAccountError.self) { try ChainAccount(parsing: "2g") }  // base58, but not 32 bytes
    }

    @Test func referencesRoundTripThroughTheirStoredForm() throws {
        let nonce = try Nonce32(bytes: [UInt8](repeating: 0xab, count: 32))
        for r in [AuthorizationReference.eip3009(nonce: nonce), .permit2(nonce: nonce)] {
            #expect(try AuthorizationReference(kind: r.kind, value: r.value) == r)
        }
        #expect(try AuthorizationReference(kind: nil, value: nonce.hex) == .eip3009(nonce: nonce))
        #expect(throws: PurseError.self) { try AuthorizationReference(kind: "solana", value: nonce.hex) }
    }
}
