// Purse — Solana module (pure).
// The v0 message: what every signer signs, compiled and serialized as the Solana SDK does it.

/// A version-0 Solana message: header, static account keys, recent blockhash, compiled
/// instructions and address table lookups.
///
/// `compile` orders the accounts exactly as the Rust SDK's `MessageV0::try_compile` (which the
/// x402 SDK client calls through solders) does, so that Purse's transaction is byte for byte the
/// one the reference client would build from the same inputs.
public struct SolanaMessageV0: Sendable, Hashable {
    /// Which keys sign and which are writable.
    public var header: SolanaMessageHeader
    /// The accounts the message names, fee payer first.
    public var accountKeys: [SolanaPublicKey]
    /// The blockhash that bounds the transaction's lifetime.
    public var recentBlockhash: SolanaHash
    /// The instructions, in execution order.
    public var instructions: [SolanaCompiledInstruction]
    /// Accounts loaded from lookup tables (none in what Purse builds).
    public var addressTableLookups: [SolanaAddressTableLookup]

    /// The version prefix byte of a v0 message (the high bit marks a versioned message).
    static let versionPrefix: UInt8 = 0x80

    /// Creates a message from its parts as they are.
    public init(
        header: SolanaMessageHeader, accountKeys: [SolanaPublicKey], recentBlockhash: SolanaHash,
        instructions: [SolanaCompiledInstruction], addressTableLookups: [SolanaAddressTableLookup] = []
    ) {
        self.header = header
        self.accountKeys = accountKeys
        self.recentBlockhash = recentBlockhash
        self.instructions = instructions
        self.addressTableLookups = addressTableLookups
    }

    /// Compiles instructions into a message without lookup tables, as `MessageV0::try_compile`
    /// does: every account's signer and writable flags are merged over all its uses, the payer
    /// is forced to a writable signer and put first, and the other keys follow in four runs
    /// (writable signers, read-only signers, writable non-signers, read-only non-signers), each
    /// sorted by key bytes (the SDK keeps them in a `BTreeMap<Pubkey, _>`). Program ids count
    /// as read-only non-signers unless an instruction also passes them as accounts.
    ///
    /// - Throws: `SolanaTransactionError.tooManyAccounts` past 256 keys.
    public static func compile(payer: SolanaPublicKey, instructions: [SolanaInstruction], recentBlockhash: SolanaHash) throws(SolanaTransactionError) -> SolanaMessageV0 {
        var flags: [SolanaPublicKey: (signer: Bool, writable: Bool)] = [:]
        for instruction in instructions {
            if flags[instruction.programId] == nil { flags[instruction.programId] = (false, false) }
            for meta in instruction.accounts {
                let old = flags[meta.publicKey] ?? (false, false)
                flags[meta.publicKey] = (old.signer || meta.isSigner, old.writable || meta.isWritable)
            }
        }
        flags[payer] = nil
        let others = flags.keys.sorted()
        let writableSigners = [payer] + others.filter { flags[$0]!.signer && flags[$0]!.writable }
        let readonlySigners = others.filter { flags[$0]!.signer && !flags[$0]!.writable }
        let writableNonSigners = others.filter { !flags[$0]!.signer && flags[$0]!.writable }
        let readonlyNonSigners = others.filter { !flags[$0]!.signer && !flags[$0]!.writable }
        let keys = writableSigners + readonlySigners + writableNonSigners + readonlyNonSigners
        guard keys.count <= 256 else { throw .tooManyAccounts(keys.count) }
        let header = SolanaMessageHeader(
            numRequiredSignatures: UInt8(writableSigners.count + readonlySigners.count),
            numReadonlySignedAccounts: UInt8(readonlySigners.count),
            numReadonlyUnsignedAccounts: UInt8(readonlyNonSigners.count))
        var index: [SolanaPublicKey: UInt8] = [:]
        for (i, key) in keys.enumerated() { index[key] = UInt8(i) }
        let compiled = instructions.map { instruction in
            SolanaCompiledInstruction(
                programIdIndex: index[instruction.programId]!,
                accounts: instruction.accounts.map { index[$0.publicKey]! },
                data: instruction.data)
        }
        return SolanaMessageV0(header: header, accountKeys: keys, recentBlockhash: recentBlockhash, instructions: compiled)
    }

    /// The bytes every signer signs: the version prefix 0x80, then the message.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = [Self.versionPrefix]
        out.append(header.numRequiredSignatures)
        out.append(header.numReadonlySignedAccounts)
        out.append(header.numReadonlyUnsignedAccounts)
        CompactU16.encode(accountKeys.count, into: &out)
        for key in accountKeys { out += key.bytes }
        out += recentBlockhash.bytes
        CompactU16.encode(instructions.count, into: &out)
        for instruction in instructions {
            out.append(instruction.programIdIndex)
            CompactU16.encode(instruction.accounts.count, into: &out)
            out += instruction.accounts
            CompactU16.encode(instruction.data.count, into: &out)
            out += instruction.data
        }
        CompactU16.encode(addressTableLookups.count, into: &out)
        for lookup in addressTableLookups {
            out += lookup.accountKey.bytes
            CompactU16.encode(lookup.writableIndexes.count, into: &out)
            out += lookup.writableIndexes
            CompactU16.encode(lookup.readonlyIndexes.count, into: &out)
            out += lookup.readonlyIndexes
        }
        return out
    }

    /// Reads a v0 message starting at `offset` (at its version prefix), advancing `offset`.
    ///
    /// Checks what the runtime's sanitizer checks about the layout: a fee payer that signs and is
    /// writable, header counts that fit the keys, and every index inside the keys (static and
    /// looked up) with no program at index 0.
    /// - Throws: `SolanaTransactionError.unsupportedVersion` for a legacy or non-zero version,
    ///   `.malformed` otherwise.
    static func parse(_ bytes: [UInt8], at offset: inout Int) throws(SolanaTransactionError) -> SolanaMessageV0 {
        func take(_ n: Int, _ what: String) throws(SolanaTransactionError) -> [UInt8] {
            guard n >= 0, offset + n <= bytes.count else { throw .malformed("truncated \(what)") }
            defer { offset += n }
            return Array(bytes[offset..<offset + n])
        }
        let prefix = try take(1, "message")[0]
        guard prefix & 0x80 != 0 else { throw .unsupportedVersion("a legacy message") }
        guard prefix == versionPrefix else { throw .unsupportedVersion("v\(prefix & 0x7f)") }
        let h = try take(3, "message header")
        let header = SolanaMessageHeader(numRequiredSignatures: h[0], numReadonlySignedAccounts: h[1], numReadonlyUnsignedAccounts: h[2])
        let keyCount = try CompactU16.decode(bytes, at: &offset)
        var keys: [SolanaPublicKey] = []
        keys.reserveCapacity(keyCount)
        for _ in 0..<keyCount {
            let raw = try take(32, "account key")
            keys.append(try! SolanaPublicKey(bytes: raw))  // exactly 32 bytes
        }
        let rawBlockhash = try take(32, "recent blockhash")
        let blockhash = try! SolanaHash(bytes: rawBlockhash)
        let instructionCount = try CompactU16.decode(bytes, at: &offset)
        var instructions: [SolanaCompiledInstruction] = []
        for _ in 0..<instructionCount {
            let program = try take(1, "instruction")[0]
            let accounts = try take(try CompactU16.decode(bytes, at: &offset), "instruction accounts")
            let data = try take(try CompactU16.decode(bytes, at: &offset), "instruction data")
            instructions.append(SolanaCompiledInstruction(programIdIndex: program, accounts: accounts, data: data))
        }
        let lookupCount = try CompactU16.decode(bytes, at: &offset)
        var lookups: [SolanaAddressTableLookup] = []
        for _ in 0..<lookupCount {
            let rawTable = try take(32, "lookup table key")
            let table = try! SolanaPublicKey(bytes: rawTable)
            let writable = try take(try CompactU16.decode(bytes, at: &offset), "lookup indexes")
            let readonly = try take(try CompactU16.decode(bytes, at: &offset), "lookup indexes")
            lookups.append(SolanaAddressTableLookup(accountKey: table, writableIndexes: writable, readonlyIndexes: readonly))
        }
        let message = SolanaMessageV0(header: header, accountKeys: keys, recentBlockhash: blockhash, instructions: instructions, addressTableLookups: lookups)
        try message.sanitize()
        return message
    }

    /// The layout rules of the runtime's `MessageV0::sanitize` that a reader relies on.
    private func sanitize() throws(SolanaTransactionError) {
        let signers = Int(header.numRequiredSignatures)
        guard signers >= 1 else { throw .malformed("no signer, so no fee payer") }
        guard Int(header.numReadonlySignedAccounts) < signers else { throw .malformed("the fee payer is read-only") }
        guard signers + Int(header.numReadonlyUnsignedAccounts) <= accountKeys.count else {
            throw .malformed("the header counts more accounts than the message has")
        }
        let loaded = addressTableLookups.reduce(0) { $0 + $1.writableIndexes.count + $1.readonlyIndexes.count }
        let total = accountKeys.count + loaded
        guard total <= 256 else { throw .malformed("more than 256 accounts") }
        for (i, instruction) in instructions.enumerated() {
            let program = Int(instruction.programIdIndex)
            // A program must be a static key, and the fee payer cannot be one.
            guard program > 0, program < accountKeys.count else { throw .malformed("instruction \(i) has program index \(program)") }
            guard instruction.accounts.allSatisfy({ Int($0) < total }) else { throw .malformed("instruction \(i) has an account index out of range") }
        }
        guard Set(accountKeys).count == accountKeys.count else { throw .malformed("an account key appears twice") }
    }

    /// The public key at a compiled index, or nil when it is not a static key (lookup tables).
    public func key(at index: UInt8) -> SolanaPublicKey? {
        Int(index) < accountKeys.count ? accountKeys[Int(index)] : nil
    }

    /// Whether the key at `index` must sign.
    public func isSigner(_ index: Int) -> Bool { index < Int(header.numRequiredSignatures) }

    /// Whether the key at `index` (a static key) is writable, from the header's runs.
    public func isWritable(_ index: Int) -> Bool {
        let signers = Int(header.numRequiredSignatures)
        if index < signers { return index < signers - Int(header.numReadonlySignedAccounts) }
        return index < accountKeys.count - Int(header.numReadonlyUnsignedAccounts)
    }
}
