import CSodium

/// The passphrase type (C2SP age, "The scrypt recipient type"): the file key wrapped under
/// scrypt(passphrase, "age-encryption.org/v1/scrypt" || salt, N = 2^workFactor, r = 8, p = 1).
enum ScryptStanza {
    static let type = "scrypt"
    static let label = "age-encryption.org/v1/scrypt"
    static let saltLength = 16
    static let blockSize: UInt32 = 8
    static let parallelism: UInt32 = 1
    /// What `age -p` writes: about a second and 256 MiB.
    static let defaultWorkFactor = 18
    /// The largest work factor we run. libsodium's raw scrypt has no memory cap of its own, and
    /// each step doubles time and memory (4 GiB at 22), so a file could otherwise demand any
    /// amount; 22 is age's own limit, and CCTV expects 23 to be refused.
    static let maxWorkFactor = 22
    static let bodyLength = AgeFile.fileKeyLength + ChaCha20Poly1305.tagLength
    static let zeroNonce = [UInt8](repeating: 0, count: ChaCha20Poly1305.nonceLength)

    struct Failed: Error {}

    static func wrapKey(passphrase: SecretBytes, salt: [UInt8], workFactor: Int) throws -> SecretBytes {
        precondition((1...maxWorkFactor).contains(workFactor), "scrypt work factor out of range")
        Sodium.ensureInitialised()
        let saltInput = Array(label.utf8) + salt
        let key = SecretBytes(count: ChaCha20Poly1305.keyLength)
        let status = key.withUnsafeMutableBytes { out in
            passphrase.withUnsafeBytes { password in
                crypto_pwhash_scryptsalsa208sha256_ll(
                    password.baseAddress!.assumingMemoryBound(to: UInt8.self), password.count,
                    saltInput, saltInput.count, UInt64(1) << UInt64(workFactor), blockSize, parallelism,
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self), out.count)
            }
        }
        // The one way it fails with valid parameters is an allocation that the system refuses.
        guard status == 0 else { throw Failed() }
        return key
    }

    /// `^[1-9][0-9]*$`, parsed without wrapping around: "9223372036854775818" must not become 10.
    static func parseWorkFactor(_ text: String) -> Int? {
        let digits = Array(text.utf8)
        guard let first = digits.first, first >= 0x31, first <= 0x39, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }
        return Int(text)
    }
}

/// Encrypts to a passphrase. Must be the only recipient of a file.
struct ScryptRecipient: AgeRecipient {
    let passphrase: SecretBytes
    let workFactor: Int

    init(passphrase: SecretBytes, workFactor: Int = ScryptStanza.defaultWorkFactor) {
        self.passphrase = passphrase
        self.workFactor = workFactor
    }

    func wrap(_ fileKey: SecretBytes) throws -> [AgeStanza] {
        // A fresh salt per file, so that one scrypt result never wraps two file keys.
        let salt = Sodium.randomBytes(ScryptStanza.saltLength)
        let wrapKey = try ScryptStanza.wrapKey(passphrase: passphrase, salt: salt, workFactor: workFactor)
        let body = ChaCha20Poly1305.seal(key: wrapKey, nonce: ScryptStanza.zeroNonce, fileKey)
        return [AgeStanza(type: ScryptStanza.type, arguments: [AgeBase64.encodeString(salt), String(workFactor)], body: body)]
    }
}

/// Opens files encrypted to a passphrase.
struct ScryptIdentity: AgeIdentity {
    let passphrase: SecretBytes

    func unwrap(_ stanza: AgeStanza) throws -> SecretBytes? {
        guard stanza.type == ScryptStanza.type else { return nil }
        guard stanza.arguments.count == 2 else { throw AgeError.header("an scrypt stanza needs exactly a salt and a work factor") }
        guard let salt = AgeBase64.decode(stanza.arguments[0].utf8), salt.count == ScryptStanza.saltLength else {
            throw AgeError.header("the scrypt salt is not canonical base64 of 16 bytes")
        }
        guard let workFactor = ScryptStanza.parseWorkFactor(stanza.arguments[1]) else {
            throw AgeError.header("the scrypt work factor is not a decimal number without sign or leading zero")
        }
        guard workFactor <= ScryptStanza.maxWorkFactor else {
            throw AgeError.header("the scrypt work factor \(workFactor) is over the limit of \(ScryptStanza.maxWorkFactor)")
        }
        // Before running scrypt, which is the expensive part, and against partitioning oracles.
        guard stanza.body.count == ScryptStanza.bodyLength else { throw AgeError.header("the scrypt stanza body is not 32 bytes") }
        let wrapKey = try ScryptStanza.wrapKey(passphrase: passphrase, salt: salt, workFactor: workFactor)
        // This AEAD is not key-committing, so a crafted body could open under two passphrases;
        // that leaks at most one bit to an online oracle, and skips none of the scrypt work.
        return ChaCha20Poly1305.open(key: wrapKey, nonce: ScryptStanza.zeroNonce, stanza.body)
    }
}
