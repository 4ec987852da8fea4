import CSodium

/// The native age key type (C2SP age, "The X25519 recipient type"): an X25519 public key as the
/// recipient (`age1...`), its scalar as the identity (`AGE-SECRET-KEY-1...`). The file key is
/// wrapped for each file under a key derived from a fresh ephemeral Diffie-Hellman exchange.
enum X25519Stanza {
    static let type = "X25519"
    static let label = "age-encryption.org/v1/X25519"
    static let keyLength = Int(crypto_scalarmult_curve25519_BYTES)
    /// A file key (16 bytes) plus the ChaCha20-Poly1305 tag.
    static let bodyLength = AgeFile.fileKeyLength + ChaCha20Poly1305.tagLength
    /// The nonce is all zero, which is safe because every wrap key is derived afresh and used once.
    static let zeroNonce = [UInt8](repeating: 0, count: ChaCha20Poly1305.nonceLength)

    /// X25519(scalar, point), or nil when the result is all zero: the point has low order, so
    /// the "shared" secret is known to everybody (libsodium reports it; we check it again).
    static func sharedSecret(scalar: SecretBytes, point: [UInt8]) -> SecretBytes? {
        Sodium.ensureInitialised()
        let shared = SecretBytes(count: keyLength)
        let status = shared.withUnsafeMutableBytes { out in
            scalar.withUnsafeBytes { scalarBytes in
                crypto_scalarmult_curve25519(out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                             scalarBytes.baseAddress!.assumingMemoryBound(to: UInt8.self), point)
            }
        }
        let isZero = shared.withUnsafeBytes { sodium_is_zero($0.baseAddress!.assumingMemoryBound(to: UInt8.self), $0.count) == 1 }
        return status == 0 && !isZero ? shared : nil
    }

    static func publicKey(of scalar: SecretBytes) -> [UInt8] {
        Sodium.ensureInitialised()
        var point = [UInt8](repeating: 0, count: keyLength)
        scalar.withUnsafeBytes { _ = crypto_scalarmult_curve25519_base(&point, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        return point
    }

    /// HKDF-SHA-256(ikm = shared secret, salt = ephemeral share || recipient, info = label).
    static func wrapKey(shared: SecretBytes, share: [UInt8], recipient: [UInt8]) -> SecretBytes {
        HKDF.sha256(ikm: shared, salt: share + recipient, info: label)
    }
}

/// An `age1...` public key: files can be encrypted to it.
struct X25519Recipient: AgeRecipient, Equatable {
    static let hrp = "age"
    let publicKey: [UInt8]

    struct Invalid: Error {
        let reason: String
    }

    init(publicKey: [UInt8]) throws {
        guard publicKey.count == X25519Stanza.keyLength else { throw Invalid(reason: "an X25519 key is 32 bytes") }
        self.publicKey = publicKey
    }

    init(parsing text: String) throws {
        let decoded: (hrp: String, data: SecretBytes)
        do {
            decoded = try Bech32.decode(text)
        } catch let error as Bech32.Invalid {
            throw Invalid(reason: "not an age1... recipient: \(error.reason)")
        }
        guard decoded.hrp == Self.hrp else { throw Invalid(reason: "not an age1... recipient") }
        try self.init(publicKey: decoded.data.withUnsafeBytes { Array($0) })
    }

    /// `age1...`
    var encoded: String { Bech32.encodeString(hrp: Self.hrp, data: publicKey) }

    func wrap(_ fileKey: SecretBytes) throws -> [AgeStanza] {
        // A fresh ephemeral key per file and per stanza: the spec requires it, and it is what
        // makes each wrap key single-use.
        let ephemeral = SecretBytes.random(count: X25519Stanza.keyLength)
        let share = X25519Stanza.publicKey(of: ephemeral)
        guard let shared = X25519Stanza.sharedSecret(scalar: ephemeral, point: publicKey) else {
            throw Invalid(reason: "the recipient is a low-order point, which nobody can decrypt for")
        }
        let wrapKey = X25519Stanza.wrapKey(shared: shared, share: share, recipient: publicKey)
        let body = ChaCha20Poly1305.seal(key: wrapKey, nonce: X25519Stanza.zeroNonce, fileKey)
        return [AgeStanza(type: X25519Stanza.type, arguments: [AgeBase64.encodeString(share)], body: body)]
    }
}

/// An `AGE-SECRET-KEY-1...` identity: it opens files encrypted to its recipient.
final class X25519Identity: AgeIdentity {
    /// age accepts identities in upper case only, with this exact human-readable part.
    static let hrp = "AGE-SECRET-KEY-"
    let secretKey: SecretBytes
    let publicKey: [UInt8]

    struct Invalid: Error {
        let reason: String
    }

    /// The scalar is kept as generated: X25519 clamps it, and age stores it unclamped.
    init(secretKey: SecretBytes) throws {
        guard secretKey.count == X25519Stanza.keyLength else { throw Invalid(reason: "an X25519 secret key is 32 bytes") }
        self.secretKey = secretKey
        self.publicKey = X25519Stanza.publicKey(of: secretKey)
    }

    static func generate() -> X25519Identity {
        try! X25519Identity(secretKey: SecretBytes.random(count: X25519Stanza.keyLength))
    }

    /// Parses one `AGE-SECRET-KEY-1...` line (without its newline), never through a `String`.
    convenience init(parsing text: UnsafeRawBufferPointer) throws {
        let decoded: (hrp: String, data: SecretBytes)
        do {
            decoded = try Bech32.decode(text)
        } catch let error as Bech32.Invalid {
            throw Invalid(reason: "not an AGE-SECRET-KEY-1... identity: \(error.reason)")
        }
        guard decoded.hrp == Self.hrp else { throw Invalid(reason: "not an AGE-SECRET-KEY-1... identity (age writes them in upper case)") }
        try self.init(secretKey: decoded.data)
    }

    var recipient: X25519Recipient { try! X25519Recipient(publicKey: publicKey) }

    /// `AGE-SECRET-KEY-1...`, in wiped memory.
    func encoded() -> SecretBytes {
        secretKey.withUnsafeBytes { Bech32.encode(hrp: Self.hrp, data: $0, uppercase: true) }
    }

    func unwrap(_ stanza: AgeStanza) throws -> SecretBytes? {
        guard stanza.type == X25519Stanza.type else { return nil }
        guard stanza.arguments.count == 1 else { throw AgeError.header("an X25519 stanza needs exactly one argument") }
        guard let share = AgeBase64.decode(stanza.arguments[0].utf8), share.count == X25519Stanza.keyLength else {
            throw AgeError.header("the X25519 share is not canonical base64 of 32 bytes")
        }
        // Checked before any decryption: accepting other lengths would let a crafted file test
        // many keys at once (a partitioning oracle).
        guard stanza.body.count == X25519Stanza.bodyLength else { throw AgeError.header("the X25519 stanza body is not 32 bytes") }
        // A low-order share gives an all-zero secret that anybody can compute: the file is
        // malicious or broken, not merely for someone else.
        guard let shared = X25519Stanza.sharedSecret(scalar: secretKey, point: share) else {
            throw AgeError.header("the X25519 share is a low-order point")
        }
        let wrapKey = X25519Stanza.wrapKey(shared: shared, share: share, recipient: publicKey)
        return ChaCha20Poly1305.open(key: wrapKey, nonce: X25519Stanza.zeroNonce, stanza.body)
    }
}
