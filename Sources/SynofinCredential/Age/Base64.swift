/// Base64 as age uses it (RFC 4648 §4, standard alphabet), written by hand: libsodium's
/// `sodium_bin2base64` aborts the whole process when its output buffer is short, and its decoder
/// is lenient about the bits the last character carries.
///
/// The spec: "Encoders MUST generate canonical base64 (RFC 4648 §3.5), decoders MUST reject
/// non-canonical encodings and encodings ending with `=`." Canonical means the unused low bits of
/// the last character are zero, so that every byte string has exactly one encoding: the header
/// MAC covers the text, and two spellings of one stanza would make the format malleable.
enum AgeBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0...63 for each alphabet byte, 0xFF for everything else (including `=`, CR and LF).
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// Unpadded canonical base64 (stanza arguments and bodies, the header MAC).
    static func encode<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        encode(bytes, padded: false)
    }

    /// Padded base64, for ASCII armor, the one place age pads.
    static func encodePadded<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        encode(bytes, padded: true)
    }

    static func encodeString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(decoding: encode(bytes), as: UTF8.self)
    }

    private static func encode<C: Collection>(_ bytes: C, padded: Bool) -> [UInt8] where C.Element == UInt8 {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= input.count {
            let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            output += [alphabet[Int(group >> 18 & 63)], alphabet[Int(group >> 12 & 63)],
                       alphabet[Int(group >> 6 & 63)], alphabet[Int(group & 63)]]
            index += 3
        }
        switch input.count - index {
        case 1:
            let group = UInt32(input[index]) << 16
            output += [alphabet[Int(group >> 18 & 63)], alphabet[Int(group >> 12 & 63)]]
            if padded { output += Array("==".utf8) }
        case 2:
            let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
            output += [alphabet[Int(group >> 18 & 63)], alphabet[Int(group >> 12 & 63)], alphabet[Int(group >> 6 & 63)]]
            if padded { output.append(UInt8(ascii: "=")) }
        default:
            break
        }
        return output
    }

    /// Decodes unpadded canonical base64; nil for any other spelling (padding, a stray byte, a
    /// length no encoder produces, non-zero unused bits).
    static func decode<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        let input = Array(text)
        // A single leftover character carries only 6 bits: no byte string encodes to that.
        guard input.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in input {
            let value = values[Int(byte)]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // The bits left over must be zero, or two texts would decode to the same bytes.
        guard accumulator == 0 else { return nil }
        return output
    }

    /// Decodes padded base64 strictly (armor): a whole number of 4-character groups, `=` only as
    /// the padding of the last group, and canonical unused bits.
    static func decodePadded<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        var input = Array(text)
        guard input.count % 4 == 0 else { return nil }
        var padding = 0
        while padding < 2, input.last == UInt8(ascii: "=") {
            input.removeLast()
            padding += 1
        }
        // "xx=" would be a group with padding but too few characters; decode() rejects the rest.
        guard padding == 0 || input.count % 4 == 4 - padding else { return nil }
        return decode(input)
    }
}
