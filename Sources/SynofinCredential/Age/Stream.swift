/// The STREAM payload encryption of age (C2SP age, "Payload"): the plaintext in 64 KiB chunks,
/// each sealed with ChaCha20-Poly1305 under the payload key and a nonce made of an 11-byte
/// big-endian chunk counter and a last-chunk flag. The flag is what makes truncation
/// detectable: a file that ends without a chunk marked last was cut short.
enum AgeStream {
    static let chunkSize = 64 * 1024
    static let encryptedChunkSize = chunkSize + ChaCha20Poly1305.tagLength
    static let lastChunkFlag: UInt8 = 0x01

    private static func nonce(counter: UInt64, last: Bool) -> [UInt8] {
        // 88 bits of counter; 64 of them are more than any file we could hold in memory.
        var nonce = [UInt8](repeating: 0, count: ChaCha20Poly1305.nonceLength)
        for index in 0..<8 { nonce[10 - index] = UInt8(truncatingIfNeeded: counter >> UInt64(8 * index)) }
        nonce[11] = last ? lastChunkFlag : 0
        return nonce
    }

    /// Seals `plaintext`. An empty plaintext is one empty chunk marked last, and a plaintext that
    /// fills its last chunk exactly ends with that full chunk marked last (no empty chunk after).
    static func encrypt(key: SecretBytes, plaintext: SecretBytes) -> [UInt8] {
        let chunkCount = max(1, (plaintext.count + chunkSize - 1) / chunkSize)
        var output = [UInt8](repeating: 0, count: plaintext.count + chunkCount * ChaCha20Poly1305.tagLength)
        plaintext.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                for index in 0..<chunkCount {
                    let start = index * chunkSize
                    let end = min(start + chunkSize, plaintext.count)
                    let outStart = index * encryptedChunkSize
                    ChaCha20Poly1305.seal(
                        key: key, nonce: nonce(counter: UInt64(index), last: index == chunkCount - 1),
                        plaintext: UnsafeRawBufferPointer(rebasing: input[start..<end]),
                        into: UnsafeMutableRawBufferPointer(rebasing: out[outStart..<outStart + (end - start) + ChaCha20Poly1305.tagLength]))
                }
            }
        }
        return output
    }

    /// Opens the chunks of `ciphertext` (the payload after its nonce) in order, handing each
    /// verified plaintext chunk to `release`, which must copy what it keeps: the buffer is
    /// reused and wiped. Throws `AgeError.payload` at the first chunk that does not verify, or
    /// when the file ends without a last chunk or goes on after it; chunks released before that
    /// were authentic, but the caller must not trust the whole.
    static func decrypt(key: SecretBytes, ciphertext: ArraySlice<UInt8>, release: (UnsafeRawBufferPointer) throws -> Void) throws {
        let chunk = SecretBytes(count: chunkSize)
        var position = ciphertext.startIndex
        var counter: UInt64 = 0
        while true {
            let remaining = ciphertext.endIndex - position
            guard remaining > 0 else {
                throw AgeError.payload(counter == 0 ? "no payload chunks" : "the file ends without a last chunk (truncated?)")
            }
            let length = min(remaining, encryptedChunkSize)
            guard length >= ChaCha20Poly1305.tagLength else { throw AgeError.payload("a chunk shorter than its tag") }
            let plaintextLength = length - ChaCha20Poly1305.tagLength
            // A short chunk can only be the last one. A full one is normally not last, but the
            // last chunk is full when the plaintext fills it exactly: try that second.
            var last = length < encryptedChunkSize
            let opened = ciphertext.withUnsafeBytes { all -> Bool in
                let offset = position - ciphertext.startIndex
                let sealed = UnsafeRawBufferPointer(rebasing: all[offset..<offset + length])
                return chunk.withUnsafeMutableBytes { out in
                    let target = UnsafeMutableRawBufferPointer(rebasing: out[0..<plaintextLength])
                    if ChaCha20Poly1305.open(key: key, nonce: nonce(counter: counter, last: last), ciphertext: sealed, into: target) {
                        return true
                    }
                    guard !last else { return false }
                    last = true
                    return ChaCha20Poly1305.open(key: key, nonce: nonce(counter: counter, last: true), ciphertext: sealed, into: target)
                }
            }
            guard opened else { throw AgeError.payload("chunk \(counter) does not verify (damaged or truncated)") }
            // Only an empty file may end with an empty chunk; otherwise a truncation at a chunk
            // boundary could be disguised by appending one.
            if last && plaintextLength == 0 && counter > 0 { throw AgeError.payload("the last chunk is empty") }
            try chunk.withUnsafeBytes { try release(UnsafeRawBufferPointer(rebasing: $0[0..<plaintextLength])) }
            position += length
            counter += 1
            if last {
                guard position == ciphertext.endIndex else { throw AgeError.payload("data after the last chunk") }
                return
            }
        }
    }
}
