import CSodium

/// The few libsodium services the helper needs outside the age format. libsodium must be
/// initialised once before use; `sodium_init` is idempotent and thread-safe.
public enum Sodium {
    private static let initialised: Bool = sodium_init() >= 0

    static func ensureInitialised() {
        precondition(initialised, "libsodium failed to initialise")
    }

    /// Bytes from the kernel's CSPRNG.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        ensureInitialised()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, count) }
        return bytes
    }

    /// Zeroes an array that held secret bytes (for buffers that had to be an `Array`).
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) }
    }

    /// SHA-256 of `data`, lower-case hex.
    public static func sha256Hex(_ data: [UInt8]) -> String {
        ensureInitialised()
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        _ = data.withUnsafeBufferPointer { crypto_hash_sha256(&digest, $0.baseAddress, UInt64(data.count)) }
        return digest.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
