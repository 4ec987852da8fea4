import CSodium

/// HMAC-SHA-256 with a key of any length. libsodium's one-shot `crypto_auth_hmacsha256` takes
/// only 32-byte keys, but HKDF keys its HMAC with the salt, which age sets to 0, 16 or 64 bytes;
/// the init/update/final interface accepts any length (RFC 2104 padding and hashing included).
enum HMACSHA256 {
    static let length = Int(crypto_auth_hmacsha256_BYTES)

    static func authenticate(key: UnsafeRawBufferPointer, _ parts: [UnsafeRawBufferPointer]) -> SecretBytes {
        Sodium.ensureInitialised()
        var state = crypto_auth_hmacsha256_state()
        // The state holds the padded key: wipe it whatever happens.
        defer { withUnsafeMutableBytes(of: &state) { sodium_memzero($0.baseAddress, $0.count) } }
        var placeholder: UInt8 = 0
        if let base = key.baseAddress {
            crypto_auth_hmacsha256_init(&state, base.assumingMemoryBound(to: UInt8.self), key.count)
        } else {
            crypto_auth_hmacsha256_init(&state, &placeholder, 0)
        }
        for part in parts where part.count > 0 {
            crypto_auth_hmacsha256_update(&state, part.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(part.count))
        }
        let mac = SecretBytes(count: length)
        mac.withUnsafeMutableBytes { _ = crypto_auth_hmacsha256_final(&state, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        return mac
    }
}

/// HKDF-SHA-256 (RFC 5869), Extract then Expand. age always asks for 32 bytes, one HMAC block,
/// but Expand is written out in full so that it is the RFC's and nothing less.
enum HKDF {
    static func sha256(ikm: SecretBytes, salt: [UInt8], info: String, length: Int = 32) -> SecretBytes {
        sha256(ikm: ikm, salt: salt, info: Array(info.utf8), length: length)
    }

    static func sha256(ikm: SecretBytes, salt: [UInt8], info infoBytes: [UInt8], length: Int = 32) -> SecretBytes {
        precondition(length > 0 && length <= 255 * HMACSHA256.length, "HKDF-SHA-256 output too long")
        let prk = salt.withUnsafeBytes { saltBytes in
            ikm.withUnsafeBytes { HMACSHA256.authenticate(key: saltBytes, [$0]) }
        }
        let output = SecretBytes(count: length)
        var previous = SecretBytes(count: 0)
        var filled = 0
        var counter: UInt8 = 1
        while filled < length {
            let block = prk.withUnsafeBytes { key in
                previous.withUnsafeBytes { previousBytes in
                    infoBytes.withUnsafeBytes { infoPart in
                        withUnsafeBytes(of: counter) { counterByte in
                            HMACSHA256.authenticate(key: key, [previousBytes, infoPart, counterByte])
                        }
                    }
                }
            }
            let take = min(block.count, length - filled)
            output.withUnsafeMutableBytes { out in
                block.withUnsafeBytes { blockBytes in
                    UnsafeMutableRawBufferPointer(rebasing: out[filled..<filled + take])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: blockBytes[0..<take]))
                }
            }
            filled += take
            previous = block
            counter &+= 1
        }
        return output
    }
}
