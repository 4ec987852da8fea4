/// One recipient stanza of an age header: `-> type arg...` and a base64 body.
struct AgeStanza: Equatable {
    var type: String
    var arguments: [String]
    var body: [UInt8]
}

/// The textual age header (C2SP age, "Header"): parsing and writing, apart from any crypto.
///
///     age-encryption.org/v1
///     -> X25519 <base64 share>
///     <base64 body, 64 columns per line, ending with a line shorter than 64, maybe empty>
///     --- <base64 MAC>
///
/// Parsing is strict (LF only, canonical base64, every line in its place), so that the bytes
/// the MAC covers are the only encoding of this header: MACing them is the same as MACing a
/// re-encoded header, and nobody can alter a file without the MAC noticing.
struct AgeHeader {
    static let versionLine = Array("age-encryption.org/v1".utf8)
    static let versionPrefix = Array("age-encryption.org/".utf8)
    static let stanzaPrefix = Array("->".utf8)
    static let macPrefix = Array("---".utf8)
    static let columnsPerLine = 64
    static let bytesPerLine = columnsPerLine / 4 * 3
    static let macLength = 32

    var stanzas: [AgeStanza]
    var mac: [UInt8]

    /// What `parse` found, with the positions the decryption needs.
    struct Parsed {
        let header: AgeHeader
        /// From the first byte up to and including `---`: what the MAC covers.
        let macInput: Range<Int>
        /// Where the payload (its 16-byte nonce first) begins.
        let payloadStart: Int
    }

    static func parse(_ file: [UInt8]) throws -> Parsed {
        var cursor = 0
        /// The next line without its LF; a header line that never ends is a truncated header.
        func nextLine() throws -> ArraySlice<UInt8> {
            guard cursor < file.count else { throw AgeError.header("the file ends inside the header") }
            guard let newline = file[cursor...].firstIndex(of: 0x0A) else {
                throw AgeError.header("the file ends inside the header")
            }
            defer { cursor = newline + 1 }
            return file[cursor..<newline]
        }

        let version = try nextLine()
        guard version.elementsEqual(versionLine) else {
            if version.starts(with: versionPrefix) && !version.contains(0x0D) {
                throw AgeError.header("unsupported version '\(String(decoding: version.dropFirst(versionPrefix.count), as: UTF8.self))'")
            }
            throw AgeError.header("not an age v1 file (the first line is not age-encryption.org/v1)")
        }

        var stanzas: [AgeStanza] = []
        while true {
            let lineStart = cursor
            let line = try nextLine()
            if line.starts(with: macPrefix) {
                let fields = line.split(separator: 0x20, omittingEmptySubsequences: false)
                guard fields.count == 2, fields[0].elementsEqual(macPrefix) else {
                    throw AgeError.header("malformed MAC line")
                }
                guard let mac = AgeBase64.decode(fields[1]), mac.count == macLength else {
                    throw AgeError.header("the MAC is not canonical base64 of 32 bytes")
                }
                // The grammar asks for at least one stanza: a header with none opens for nobody.
                guard !stanzas.isEmpty else { throw AgeError.header("no recipient stanzas") }
                return Parsed(header: AgeHeader(stanzas: stanzas, mac: mac),
                              macInput: 0..<(lineStart + macPrefix.count), payloadStart: cursor)
            }
            guard line.starts(with: stanzaPrefix) else {
                throw AgeError.header("a line that is neither a stanza nor the MAC line")
            }
            stanzas.append(try parseStanza(opening: line, nextLine: nextLine))
        }
    }

    private static func parseStanza(opening line: ArraySlice<UInt8>, nextLine: () throws -> ArraySlice<UInt8>) throws -> AgeStanza {
        let fields = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard fields[0].elementsEqual(stanzaPrefix) else { throw AgeError.header("malformed stanza line") }
        guard fields.count >= 2 else { throw AgeError.header("a stanza without a type") }
        for field in fields.dropFirst() {
            // Arguments are 1*VCHAR: no empty ones (two spaces), no controls, no CR.
            guard !field.isEmpty, field.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
                throw AgeError.header("a stanza argument that is empty or not printable ASCII")
            }
        }
        let words = fields.dropFirst().map { String(decoding: $0, as: UTF8.self) }
        var body: [UInt8] = []
        // Full 64-column lines continue the body; the first shorter line (maybe empty) ends it.
        while true {
            let bodyLine = try nextLine()
            guard bodyLine.count <= columnsPerLine else { throw AgeError.header("a stanza body line longer than 64 columns") }
            guard let bytes = AgeBase64.decode(bodyLine) else {
                throw AgeError.header("a stanza body line that is not canonical base64 (or a stanza without its final line)")
            }
            body += bytes
            if bodyLine.count < columnsPerLine { break }
        }
        return AgeStanza(type: words[0], arguments: Array(words.dropFirst()), body: body)
    }

    /// The header up to and including `---`: the bytes the MAC covers.
    func encodedWithoutMAC() -> [UInt8] {
        var output = Self.versionLine + [0x0A]
        for stanza in stanzas {
            output += Self.stanzaPrefix
            for word in [stanza.type] + stanza.arguments { output += [0x20] + Array(word.utf8) }
            output.append(0x0A)
            let text = AgeBase64.encode(stanza.body)
            var offset = 0
            while offset < text.count {
                let end = min(offset + Self.columnsPerLine, text.count)
                output += text[offset..<end] + [0x0A]
                offset = end
            }
            // A body that fills its last line (or is empty) still needs its short final line.
            if text.count % Self.columnsPerLine == 0 { output.append(0x0A) }
        }
        return output + Self.macPrefix
    }

    /// The whole header, MAC line included.
    func encoded() -> [UInt8] {
        encodedWithoutMAC() + [0x20] + AgeBase64.encode(mac) + [0x0A]
    }
}
