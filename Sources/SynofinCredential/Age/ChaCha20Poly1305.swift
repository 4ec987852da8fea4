import CSodium

/// The ChaCha20-Poly1305 AEAD of RFC 7539 (libsodium's "IETF" variant: 12-byte nonce, 16-byte
/// tag), with no associated data, which is how age uses it everywhere. The one place in the
/// format that hands pointers to libsodium's AEAD.
enum ChaCha20Poly1305 {
    static let keyLength = Int(crypto_aead_chacha20poly1305_ietf_KEYBYTES)
    static let nonceLength = Int(crypto_aead_chacha20poly1305_ietf_NPUBBYTES)
    static let tagLength = Int(crypto_aead_chacha20poly1305_ietf_ABYTES)

    /// Encrypts `plaintext` into `output`, which must hold `plaintext.count + tagLength` bytes.
    static func seal(key: SecretBytes, nonce: [UInt8], plaintext: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(key.count == keyLength && nonce.count == nonceLength && output.count == plaintext.count + tagLength)
        Sodium.ensureInitialised()
        var written: UInt64 = 0
        key.withUnsafeBytes { keyBytes in
            _ = crypto_aead_chacha20poly1305_ietf_encrypt(
                output.baseAddress!.assumingMemoryBound(to: UInt8.self), &written,
                plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
                nil, 0, nil, nonce, keyBytes.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Decrypts and authenticates `ciphertext` into `output` (`ciphertext.count - tagLength`
    /// bytes); false when the tag does not verify, and then `output` holds nothing.
    static func open(key: SecretBytes, nonce: [UInt8], ciphertext: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        precondition(key.count == keyLength && nonce.count == nonceLength)
        guard ciphertext.count >= tagLength, output.count == ciphertext.count - tagLength else { return false }
        Sodium.ensureInitialised()
        var written: UInt64 = 0
        let status = key.withUnsafeBytes { keyBytes in
            crypto_aead_chacha20poly1305_ietf_decrypt(
                // An empty plaintext may have no address; libsodium then only checks the tag.
                output.baseAddress?.assumingMemoryBound(to: UInt8.self),
                &written, nil,
                ciphertext.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(ciphertext.count),
                nil, 0, nonce, keyBytes.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return status == 0
    }

    /// Seals a small secret (a file key) into a new array: the ciphertext is not secret.
    static func seal(key: SecretBytes, nonce: [UInt8], _ plaintext: SecretBytes) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: plaintext.count + tagLength)
        plaintext.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { seal(key: key, nonce: nonce, plaintext: input, into: $0) }
        }
        return output
    }

    /// Opens a small sealed secret into wiped memory; nil when the tag does not verify.
    static func open(key: SecretBytes, nonce: [UInt8], _ ciphertext: [UInt8]) -> SecretBytes? {
        guard ciphertext.count >= tagLength else { return nil }
        let output = SecretBytes(count: ciphertext.count - tagLength)
        let verified = ciphertext.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { open(key: key, nonce: nonce, ciphertext: input, into: $0) }
        }
        return verified ? output : nil
    }
}
