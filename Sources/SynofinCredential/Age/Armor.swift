/// The ASCII armor of age files (C2SP age, "ASCII armor"): strict PEM (RFC 7468 §3) with the
/// label `AGE ENCRYPTED FILE`, padded base64 in 64-column lines, no headers. Read only: the
/// vault is written in binary, which every age tool opens.
///
/// Strictness is the point: one armored text per file, so nothing can hide in a PEM header, a
/// checksum line or a second block. The spec allows two leniencies, and we take both:
/// whitespace around the block, and CRLF line endings (a file that went through Windows).
enum AgeArmor {
    static let header = Array("-----BEGIN AGE ENCRYPTED FILE-----".utf8)
    static let footer = Array("-----END AGE ENCRYPTED FILE-----".utf8)
    static let columnsPerLine = 64

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// A binary age file always starts with its version line, so anything else (but an empty
    /// file, which is simply not an age file) is read as armor, and reported as broken armor
    /// when it is not: text before the block, a misspelt BEGIN line.
    static func isArmored(_ file: [UInt8]) -> Bool {
        !file.isEmpty && !file.starts(with: AgeHeader.versionPrefix)
    }

    /// The binary age file inside the armor.
    static func decode(_ file: [UInt8]) throws -> [UInt8] {
        guard let start = file.firstIndex(where: { !isWhitespace($0) }),
              let end = file.lastIndex(where: { !isWhitespace($0) })
        else { throw AgeError.armor("the file is empty or blank") }
        var lines = file[start...end].split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? line.dropLast() : line
        }
        guard lines.first?.elementsEqual(header) == true else {
            throw AgeError.armor("the file starts with neither age-encryption.org/ nor -----BEGIN AGE ENCRYPTED FILE-----")
        }
        guard lines.count >= 2, lines.last!.elementsEqual(footer) else {
            throw AgeError.armor("the last line is not -----END AGE ENCRYPTED FILE----- (truncated, or text after it)")
        }
        // No lines in between is well-formed armor of an empty (and so invalid) age file.
        lines = Array(lines.dropFirst().dropLast())
        var output: [UInt8] = []
        for (index, line) in lines.enumerated() {
            let isLast = index == lines.count - 1
            guard !line.isEmpty else { throw AgeError.armor("an empty line inside the armor") }
            guard line.count <= columnsPerLine else { throw AgeError.armor("a line longer than 64 columns") }
            // Only the last line may be short or padded: anything else is a second spelling.
            guard isLast || line.count == columnsPerLine else { throw AgeError.armor("a short line before the last one") }
            guard let bytes = AgeBase64.decodePadded(line) else {
                throw AgeError.armor("a line that is not canonical padded base64 (or a header or checksum line)")
            }
            guard isLast || bytes.count == columnsPerLine / 4 * 3 else { throw AgeError.armor("padding before the last line") }
            output += bytes
        }
        return output
    }
}
