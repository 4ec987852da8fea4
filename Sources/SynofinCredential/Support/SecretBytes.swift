import CSodium

/// Bytes that must not outlive their use: the API key and secret, file keys, decrypted vaults.
/// Swift's `String` and `Array` may copy and never wipe, so secrets live in one heap buffer that
/// is zeroed with `sodium_memzero` (which the compiler may not elide) when the last user lets go.
public final class SecretBytes: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer
    public let count: Int

    public var isEmpty: Bool { count == 0 }

    public init(count: Int) {
        self.count = count
        // A one-byte allocation for empty secrets keeps every pointer below non-nil.
        storage = .allocate(byteCount: max(count, 1), alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
    }

    public convenience init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        self.init(count: bytes.count)
        storage.copyBytes(from: bytes)
    }

    deinit {
        sodium_memzero(storage.baseAddress, storage.count)
        storage.deallocate()
    }

    /// The bytes, valid only inside `body`; do not let them escape into a `String` or `Array`.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(rebasing: storage[0..<count]))
    }

    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(rebasing: storage[0..<count]))
    }

    /// Constant-time comparison, for checks against a secret.
    public func constantTimeEquals(_ other: SecretBytes) -> Bool {
        guard count == other.count else { return false }
        return sodium_memcmp(storage.baseAddress!, other.storage.baseAddress!, count) == 0
    }

    /// Concatenation without an intermediate copy that nobody wipes.
    public static func joined(_ parts: [SecretBytes]) -> SecretBytes {
        let result = SecretBytes(count: parts.reduce(0) { $0 + $1.count })
        var offset = 0
        for part in parts {
            UnsafeMutableRawBufferPointer(rebasing: result.storage[offset..<offset + part.count])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: part.storage[0..<part.count]))
            offset += part.count
        }
        return result
    }
}
