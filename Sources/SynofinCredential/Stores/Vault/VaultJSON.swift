/// The small JSON reader and writer behind `VaultContents`: objects, strings and integers only,
/// working on raw bytes so that string values can go straight into `SecretBytes`.
enum VaultJSON {
    struct Malformed: Error {
        let reason: String
        let offset: Int
    }

    /// A class, because object members are read by closures that use the reader again.
    final class Reader {
        private let bytes: UnsafeRawBufferPointer
        private var position = 0

        init(_ bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        private func fail(_ reason: String) -> Malformed {
            Malformed(reason: reason, offset: position)
        }

        private func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        private func consume(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        private func expect(_ byte: UInt8, _ what: String) throws {
            guard consume(byte) else { throw fail("expected \(what)") }
        }

        /// Reads `{ "name": value, ... }`, calling `member` with each name to read its value.
        func readObject(_ member: (String) throws -> Void) throws {
            try expect(UInt8(ascii: "{"), "'{'")
            if consume(UInt8(ascii: "}")) { return }
            repeat {
                let name = try readSecretString().withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
                try expect(UInt8(ascii: ":"), "':'")
                try member(name)
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"), "',' or '}'")
        }

        func readInteger() throws -> Int {
            skipWhitespace()
            let start = position
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
            guard position > start, position - start <= 9 else { throw fail("expected a small integer") }
            return Int(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))!
        }

        /// A JSON string, unescaped, in wiped memory.
        func readSecretString() throws -> SecretBytes {
            try expect(UInt8(ascii: "\""), "a string")
            // Unescaping only shortens, so the raw length bounds the result.
            let start = position
            guard let end = closingQuote(from: start) else { throw fail("an unterminated string") }
            let buffer = SecretBytes(count: end - start)
            var length = 0
            try buffer.withUnsafeMutableBytes { out in
                func put(_ byte: UInt8) {
                    out[length] = byte
                    length += 1
                }
                while position < end {
                    let byte = bytes[position]
                    position += 1
                    guard byte >= 0x20 else { throw fail("a control character inside a string") }
                    guard byte == UInt8(ascii: "\\") else {
                        put(byte)
                        continue
                    }
                    guard position < end else { throw fail("a dangling escape") }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): put(escape)
                    case UInt8(ascii: "b"): put(0x08)
                    case UInt8(ascii: "f"): put(0x0C)
                    case UInt8(ascii: "n"): put(0x0A)
                    case UInt8(ascii: "r"): put(0x0D)
                    case UInt8(ascii: "t"): put(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try readHex4(end: end)
                        if (0xD800..<0xDC00).contains(scalar) {
                            // A high surrogate must be followed by its low half.
                            guard position + 2 <= end, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                                throw fail("a lone surrogate")
                            }
                            position += 2
                            let low = try readHex4(end: end)
                            guard (0xDC00..<0xE000).contains(low) else { throw fail("a lone surrogate") }
                            scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
                        } else if (0xDC00..<0xE000).contains(scalar) {
                            throw fail("a lone surrogate")
                        }
                        // Encoded by hand: a one-character String would be one more unwiped copy.
                        switch scalar {
                        case 0..<0x80:
                            put(UInt8(scalar))
                        case 0x80..<0x800:
                            put(UInt8(0xC0 | scalar >> 6))
                            put(UInt8(0x80 | scalar & 0x3F))
                        case 0x800..<0x10000:
                            put(UInt8(0xE0 | scalar >> 12))
                            put(UInt8(0x80 | scalar >> 6 & 0x3F))
                            put(UInt8(0x80 | scalar & 0x3F))
                        default:
                            put(UInt8(0xF0 | scalar >> 18))
                            put(UInt8(0x80 | scalar >> 12 & 0x3F))
                            put(UInt8(0x80 | scalar >> 6 & 0x3F))
                            put(UInt8(0x80 | scalar & 0x3F))
                        }
                    default:
                        throw fail("an unknown escape")
                    }
                }
            }
            position = end + 1
            let result = buffer.withUnsafeBytes { SecretBytes($0[0..<length]) }
            guard isUTF8(result) else { throw fail("a string that is not UTF-8") }
            return result
        }

        /// The index of the quote that ends the string starting at `start` (after its opening quote).
        private func closingQuote(from start: Int) -> Int? {
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""): return index
                default: index += 1
                }
            }
            return nil
        }

        private func readHex4(end: Int) throws -> UInt32 {
            guard position + 4 <= end else { throw fail("a short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                position += 1
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: throw fail("a bad \\u escape")
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }

        func expectEnd() throws {
            skipWhitespace()
            guard position == bytes.count else { throw fail("text after the JSON object") }
        }
    }

    /// Builds JSON text in wiped memory: each growth copies into a new buffer and the old one is
    /// wiped when released.
    struct Writer {
        private var buffer = SecretBytes(count: 1024)
        private var length = 0

        private mutating func reserve(_ extra: Int) {
            guard length + extra > buffer.count else { return }
            let grown = SecretBytes(count: max(buffer.count * 2, length + extra))
            grown.withUnsafeMutableBytes { out in
                buffer.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: out[0..<length]).copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
            }
            buffer = grown
        }

        private mutating func put(_ byte: UInt8) {
            reserve(1)
            buffer.withUnsafeMutableBytes { $0[length] = byte }
            length += 1
        }

        /// Literal JSON syntax (never a secret).
        mutating func append(_ text: String) {
            for byte in text.utf8 { put(byte) }
        }

        /// A quoted, escaped string.
        mutating func appendString(_ value: SecretBytes) {
            put(UInt8(ascii: "\""))
            value.withUnsafeBytes { bytes in
                for byte in bytes {
                    switch byte {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                        put(UInt8(ascii: "\\"))
                        put(byte)
                    case 0..<0x20:
                        let hex = Array("0123456789abcdef".utf8)
                        for escaped in Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]] { put(escaped) }
                    default:
                        put(byte)
                    }
                }
            }
            put(UInt8(ascii: "\""))
        }

        func finish() -> SecretBytes {
            buffer.withUnsafeBytes { SecretBytes($0[0..<length]) }
        }
    }

    /// Well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF), checked in place.
    static func isUTF8(_ value: SecretBytes) -> Bool {
        value.withUnsafeBytes { bytes in
            var index = 0
            while index < bytes.count {
                let lead = bytes[index]
                let length: Int
                let minimum: UInt32
                var scalar: UInt32
                switch lead {
                case 0x00...0x7F: index += 1; continue
                case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(lead & 0x1F)
                case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(lead & 0x0F)
                case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(lead & 0x07)
                default: return false
                }
                guard index + length <= bytes.count else { return false }
                for offset in 1..<length {
                    let next = bytes[index + offset]
                    guard next & 0xC0 == 0x80 else { return false }
                    scalar = scalar << 6 | UInt32(next & 0x3F)
                }
                guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
                index += length
            }
            return true
        }
    }
}
