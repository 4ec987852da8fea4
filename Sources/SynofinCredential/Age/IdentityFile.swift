/// The identity file format that `age -i` reads and `age-keygen` writes: one key per line,
/// empty lines and `#` comments ignored.
///
///     # created: 2026-01-05T10:00:00Z
///     # public key: age1...
///     AGE-SECRET-KEY-1...
enum IdentityFile {
    /// age caps identity files at 16 MiB; ours hold one key, so far less will do.
    static let sizeLimit = 64 << 10

    struct Invalid: Error {
        let reason: String
    }

    /// Every identity in the file. Only X25519 identities are supported: a plugin or SSH key
    /// is refused by line number (the line itself may be secret, so it is never quoted).
    static func parse(_ contents: SecretBytes) throws -> [X25519Identity] {
        try contents.withUnsafeBytes { bytes in
            var identities: [X25519Identity] = []
            var lineNumber = 0
            var start = 0
            while start < bytes.count {
                lineNumber += 1
                let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
                var lineEnd = end
                // Lines may end in CRLF, and editors leave trailing blanks.
                while lineEnd > start, [0x0D, 0x20, 0x09].contains(bytes[lineEnd - 1]) { lineEnd -= 1 }
                let line = UnsafeRawBufferPointer(rebasing: bytes[start..<lineEnd])
                start = end + 1
                if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
                do {
                    identities.append(try X25519Identity(parsing: line))
                } catch let error as X25519Identity.Invalid {
                    throw Invalid(reason: "line \(lineNumber) is \(error.reason); only AGE-SECRET-KEY-1... (age-keygen) identities are supported")
                }
            }
            guard !identities.isEmpty else { throw Invalid(reason: "it holds no AGE-SECRET-KEY-1... line") }
            return identities
        }
    }

    /// The file `age-keygen` would write for `identity`, in wiped memory.
    static func contents(of identity: X25519Identity, createdAt unixSeconds: Int64) -> SecretBytes {
        let comments = SecretBytes(Array("# created: \(Timestamp.rfc3339(unixSeconds))\n# public key: \(identity.recipient.encoded)\n".utf8))
        return SecretBytes.joined([comments, identity.encoded(), SecretBytes([0x0A])])
    }
}
