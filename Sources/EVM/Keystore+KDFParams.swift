// Purse — EVM module.
// Key-derivation settings for keystores, and the bounds Purse accepts when reading one.

extension Keystore {
    /// The password-based key derivation used to encrypt a keystore.
    public enum KDFParams: Sendable, Equatable {
        /// scrypt with cost `n` (a power of two), block size `r` and parallelism `p`.
        case scrypt(n: Int, r: Int, p: Int)
        /// PBKDF2 with HMAC-SHA256 and the given iteration count.
        case pbkdf2(iterations: Int)

        /// geth's standard scrypt parameters: n = 2^18, r = 8, p = 1 (about 256 MiB, ~1 s).
        public static let scryptStandard = KDFParams.scrypt(n: 262144, r: 8, p: 1)

        /// The largest scrypt n accepted.
        public static let maxScryptN = 1 << 20
        /// The largest scrypt r or p accepted.
        public static let maxScryptRP = 16
        /// The most scrypt memory accepted, 128 · n · r bytes.
        public static let maxScryptMemory = 1 << 30
        /// The most PBKDF2 iterations accepted.
        public static let maxPBKDF2Iterations = 10_000_000

        /// Checks the parameters are within the bounds above (so a hostile file cannot exhaust memory or CPU).
        ///
        /// - Throws: `KeystoreError.badKDFParams` naming the broken limit.
        public func validate() throws(KeystoreError) {
            switch self {
            case let .scrypt(n, r, p):
                guard n >= 2, n <= Self.maxScryptN, n & (n - 1) == 0 else {
                    throw KeystoreError.badKDFParams(reason: "scrypt n must be a power of two from 2 to 2^20")
                }
                guard (1...Self.maxScryptRP).contains(r), (1...Self.maxScryptRP).contains(p) else {
                    throw KeystoreError.badKDFParams(reason: "scrypt r and p must be from 1 to \(Self.maxScryptRP)")
                }
                // RFC 7914 requires n < 2^(128·r/8); BoringSSL enforces it, so only r < 2 is affected.
                guard 16 * r >= 63 || n < 1 << (16 * r) else {
                    throw KeystoreError.badKDFParams(reason: "scrypt n must be below 2^(16 * r) (RFC 7914)")
                }
                guard 128 * n * r <= Self.maxScryptMemory else {
                    throw KeystoreError.badKDFParams(reason: "scrypt would need more than 1 GiB (128 * n * r)")
                }
                guard n * r * p <= 1 << 24 else {
                    throw KeystoreError.badKDFParams(reason: "scrypt n * r * p must be at most 2^24")
                }
            case let .pbkdf2(iterations):
                guard (1...Self.maxPBKDF2Iterations).contains(iterations) else {
                    throw KeystoreError.badKDFParams(reason: "pbkdf2 c must be from 1 to \(Self.maxPBKDF2Iterations)")
                }
            }
        }
    }
}
