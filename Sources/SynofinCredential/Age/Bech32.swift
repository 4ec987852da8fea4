/// Bech32 (BIP 173), the text form of age keys: `age1...` recipients and `AGE-SECRET-KEY-1...`
/// identities. As the age spec says, without BIP 173's 90-character limit. Written to work on
/// bytes so that a secret key can be decoded and encoded without passing through a `String`;
/// every intermediate buffer that held key bits is wiped.
enum Bech32 {
    struct Invalid: Error, Equatable {
        let reason: String
    }

    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
    private static let checksumLength = 6
    private static let separator = UInt8(ascii: "1")

    /// The value of each charset byte (lower case), 0xFF elsewhere.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in charset.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    private static func polymod<S: Sequence>(_ values: S, into start: UInt32 = 1) -> UInt32 where S.Element == UInt8 {
        var check = start
        for value in values {
            let top = check >> 25
            check = (check & 0x1ff_ffff) << 5 ^ UInt32(value)
            for bit in 0..<5 where (top >> UInt32(bit)) & 1 == 1 { check ^= generator[bit] }
        }
        return check
    }

    /// The checksum is always computed over the lower-case human-readable part.
    private static func hrpExpanded(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    /// Encodes `data` under `hrp`; upper case when `uppercase` (age identities), else lower case.
    static func encode(hrp: String, data: UnsafeRawBufferPointer, uppercase: Bool = false) -> SecretBytes {
        let lowerHRP = Array(hrp.lowercased().utf8)
        var groups = regrouped(Array(data), from: 8, to: 5, pad: true)!
        defer { Sodium.wipe(&groups) }
        var checksumInput = hrpExpanded(lowerHRP) + groups + [UInt8](repeating: 0, count: checksumLength)
        defer { Sodium.wipe(&checksumInput) }
        let checksum = polymod(checksumInput) ^ 1
        let result = SecretBytes(count: lowerHRP.count + 1 + groups.count + checksumLength)
        result.withUnsafeMutableBytes { out in
            var position = 0
            func put(_ byte: UInt8) {
                out[position] = uppercase && byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
                position += 1
            }
            lowerHRP.forEach(put)
            put(separator)
            for group in groups { put(charset[Int(group)]) }
            for index in 0..<checksumLength {
                put(charset[Int(checksum >> UInt32(5 * (checksumLength - 1 - index)) & 31)])
            }
        }
        return result
    }

    /// Lower-case Bech32 of public data, as a `String`.
    static func encodeString(hrp: String, data: [UInt8]) -> String {
        data.withUnsafeBytes { encode(hrp: hrp, data: $0) }.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// The human-readable part (in the case it was written in) and the data.
    static func decode(_ text: UnsafeRawBufferPointer) throws -> (hrp: String, data: SecretBytes) {
        guard text.allSatisfy({ $0 >= 33 && $0 <= 126 }) else { throw Invalid(reason: "a character outside printable ASCII") }
        let hasLower = text.contains { $0 >= 0x61 && $0 <= 0x7A }
        let hasUpper = text.contains { $0 >= 0x41 && $0 <= 0x5A }
        // BIP 173: a string is all lower or all upper case, never both.
        guard !(hasLower && hasUpper) else { throw Invalid(reason: "mixed upper and lower case") }
        guard let split = text.lastIndex(of: separator) else { throw Invalid(reason: "no separator '1'") }
        guard split >= 1 else { throw Invalid(reason: "an empty human-readable part") }
        guard text.count - split - 1 >= checksumLength else { throw Invalid(reason: "too short for a checksum") }
        let hrpBytes = Array(text[0..<split])
        let lowerHRP = hrpBytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        var groups: [UInt8] = []
        defer { Sodium.wipe(&groups) }
        groups.reserveCapacity(text.count - split - 1)
        for byte in text[(split + 1)...] {
            let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            let value = values[Int(lower)]
            guard value != 0xFF else { throw Invalid(reason: "a character outside the Bech32 alphabet") }
            groups.append(value)
        }
        var checked = hrpExpanded(lowerHRP) + groups
        defer { Sodium.wipe(&checked) }
        guard polymod(checked) == 1 else { throw Invalid(reason: "a wrong checksum (a typo?)") }
        let payload = groups[0..<(groups.count - checksumLength)]
        guard var bytes = regrouped(Array(payload), from: 5, to: 8, pad: false) else {
            throw Invalid(reason: "invalid padding")
        }
        defer { Sodium.wipe(&bytes) }
        return (String(decoding: hrpBytes, as: UTF8.self), SecretBytes(bytes))
    }

    static func decode(_ text: String) throws -> (hrp: String, data: SecretBytes) {
        var bytes = Array(text.utf8)
        defer { Sodium.wipe(&bytes) }
        return try bytes.withUnsafeBytes { try decode($0) }
    }

    /// BIP 173's convertbits: regroups bits; when not padding, leftover bits must be fewer than
    /// `from` and all zero, so each byte string has one encoding.
    private static func regrouped(_ input: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var input = input
        defer { Sodium.wipe(&input) }
        var accumulator: UInt32 = 0
        var bits = 0
        let mask: UInt32 = (1 << UInt32(to)) - 1
        var output: [UInt8] = []
        output.reserveCapacity(input.count * from / to + 1)
        for value in input {
            accumulator = (accumulator << UInt32(from) | UInt32(value)) & 0xFFFF
            bits += from
            while bits >= to {
                bits -= to
                output.append(UInt8(accumulator >> UInt32(bits) & mask))
            }
        }
        if pad {
            if bits > 0 { output.append(UInt8(accumulator << UInt32(to - bits) & mask)) }
        } else if bits >= from || (accumulator << UInt32(to - bits)) & mask != 0 {
            Sodium.wipe(&output)
            return nil
        }
        accumulator = 0
        return output
    }
}
