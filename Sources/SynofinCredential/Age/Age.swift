import CSodium

/// Something a file key can be wrapped to: one `X25519Recipient`, or a passphrase.
protocol AgeRecipient {
    func wrap(_ fileKey: SecretBytes) throws -> [AgeStanza]
}

/// Something that can unwrap a file key from a stanza.
protocol AgeIdentity {
    /// The file key, or nil when the stanza is not for this identity (another type, or a key
    /// that does not open it). Throws `AgeError.header` when a stanza of this identity's type
    /// is malformed: that file is broken, not merely for someone else.
    func unwrap(_ stanza: AgeStanza) throws -> SecretBytes?
}

/// age v1 files (https://c2sp.org/age) in memory: encrypt to recipients, decrypt with identities.
/// The vault is small, so whole-buffer operations keep the code short; the payload still goes
/// through STREAM in 64 KiB chunks, as the format requires.
enum AgeFile {
    static let fileKeyLength = 16
    static let payloadNonceLength = 16
    static let headerLabel = "header"
    static let payloadLabel = "payload"

    struct NoRecipients: Error {}

    /// A new age file holding `plaintext`, with a fresh file key and payload nonce (the spec:
    /// a file key is never reused, and a payload is never modified in place).
    static func encrypt(_ plaintext: SecretBytes, to recipients: [AgeRecipient]) throws -> [UInt8] {
        guard !recipients.isEmpty else { throw NoRecipients() }
        let fileKey = SecretBytes.random(count: fileKeyLength)
        var stanzas: [AgeStanza] = []
        for recipient in recipients { stanzas += try recipient.wrap(fileKey) }
        // A passphrase must be the only way in, or anyone with the other key could rewrap the
        // file to a passphrase of their choosing without the passphrase holder noticing.
        precondition(!stanzas.contains { $0.type == ScryptStanza.type } || stanzas.count == 1,
                     "an scrypt recipient must be the only one")
        var header = AgeHeader(stanzas: stanzas, mac: [])
        header.mac = headerMAC(fileKey: fileKey, headerBytes: header.encodedWithoutMAC())
        let nonce = Sodium.randomBytes(payloadNonceLength)
        let payload = AgeStream.encrypt(key: payloadKey(fileKey: fileKey, nonce: nonce), plaintext: plaintext)
        return header.encoded() + nonce + payload
    }

    /// Decrypts `file` (binary or armored), handing the plaintext to `release` chunk by chunk,
    /// in the order the spec's failure categories follow: armor, header, unwrap (no match),
    /// header MAC, payload nonce, payload.
    static func decrypt(_ file: [UInt8], identities: [AgeIdentity], release: (UnsafeRawBufferPointer) throws -> Void) throws {
        let binary = AgeArmor.isArmored(file) ? try AgeArmor.decode(file) : file
        let parsed = try AgeHeader.parse(binary)
        let stanzas = parsed.header.stanzas
        if stanzas.contains(where: { $0.type == ScryptStanza.type }) && stanzas.count != 1 {
            throw AgeError.header("an scrypt stanza must be the only stanza")
        }
        guard let fileKey = try unwrap(stanzas, with: identities) else { throw AgeError.noMatch }
        let expected = SecretBytes(headerMAC(fileKey: fileKey, headerBytes: Array(binary[parsed.macInput])))
        guard SecretBytes(parsed.header.mac).constantTimeEquals(expected) else { throw AgeError.hmac }
        let nonceEnd = parsed.payloadStart + payloadNonceLength
        guard nonceEnd <= binary.count else { throw AgeError.header("the payload nonce is missing or short") }
        let nonce = Array(binary[parsed.payloadStart..<nonceEnd])
        try AgeStream.decrypt(key: payloadKey(fileKey: fileKey, nonce: nonce), ciphertext: binary[nonceEnd...], release: release)
    }

    /// The whole plaintext, in wiped memory.
    static func decrypt(_ file: [UInt8], identities: [AgeIdentity]) throws -> SecretBytes {
        // The plaintext is never longer than the file that holds it.
        let buffer = SecretBytes(count: file.count)
        var length = 0
        try buffer.withUnsafeMutableBytes { out in
            try decrypt(file, identities: identities) { chunk in
                UnsafeMutableRawBufferPointer(rebasing: out[length..<length + chunk.count]).copyMemory(from: chunk)
                length += chunk.count
            }
        }
        return buffer.withUnsafeBytes { SecretBytes($0[0..<length]) }
    }

    /// The stanza types of `file`'s header, without any cryptography: which kind of key opens it.
    static func stanzaTypes(of file: [UInt8]) throws -> [String] {
        let binary = AgeArmor.isArmored(file) ? try AgeArmor.decode(file) : file
        return try AgeHeader.parse(binary).header.stanzas.map(\.type)
    }

    /// Every stanza with every identity, in order; the first file key wins.
    private static func unwrap(_ stanzas: [AgeStanza], with identities: [AgeIdentity]) throws -> SecretBytes? {
        for stanza in stanzas {
            for identity in identities {
                if let fileKey = try identity.unwrap(stanza) {
                    // Every stanza type wraps a 16-byte file key; anything else is not age v1.
                    guard fileKey.count == fileKeyLength else { throw AgeError.header("an unwrapped file key is not 16 bytes") }
                    return fileKey
                }
            }
        }
        return nil
    }

    /// HMAC-SHA-256 under HKDF(file key, salt = empty, info = "header") of the header up to `---`.
    static func headerMAC(fileKey: SecretBytes, headerBytes: [UInt8]) -> [UInt8] {
        let key = HKDF.sha256(ikm: fileKey, salt: [], info: headerLabel)
        let mac = key.withUnsafeBytes { keyBytes in
            headerBytes.withUnsafeBytes { HMACSHA256.authenticate(key: keyBytes, [$0]) }
        }
        return mac.withUnsafeBytes { Array($0) }
    }

    /// HKDF(file key, salt = payload nonce, info = "payload"): a fresh nonce gives a fresh key.
    static func payloadKey(fileKey: SecretBytes, nonce: [UInt8]) -> SecretBytes {
        HKDF.sha256(ikm: fileKey, salt: nonce, info: payloadLabel)
    }
}

extension SecretBytes {
    /// CSPRNG bytes written straight into wiped memory: a key that passed through an `Array`
    /// would leave an unwiped copy behind.
    static func random(count: Int) -> SecretBytes {
        Sodium.ensureInitialised()
        let bytes = SecretBytes(count: count)
        bytes.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) }
        return bytes
    }
}
