import Glibc

/// Reads git's credential format: `key=value` lines up to a blank line or EOF.
/// It returns as soon as the blank line arrives (the caller may keep the pipe open), strips one
/// trailing CR, splits at the first `=`, and refuses a line over `maximumLineLength` before reading
/// its rest, so the tail of a long line can never be taken for a new attribute.
public struct CredentialReader {
    /// git >= 2.46 documents 65535 bytes as the longest line a helper must accept.
    public static let maximumLineLength = 65535

    private var pending: [UInt8] = []
    private var request = CredentialRequest()
    private var finished = false

    public init() {}

    /// Reads the request from a file descriptor (stdin in production).
    public static func read(from descriptor: Int32) throws -> CredentialRequest {
        var reader = CredentialReader()
        var chunk = [UInt8](repeating: 0, count: 16384)
        while !reader.finished {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw GeneralError("cannot read the credential request: \(String(cString: strerror(errno)))")
            }
            if got == 0 {
                try reader.finish()
            } else {
                try reader.feed(chunk[0..<got])
            }
        }
        return reader.request
    }

    /// Parses a complete input (tests, and callers that already hold the bytes).
    public static func parse<C: Collection>(_ bytes: C) throws -> CredentialRequest where C.Element == UInt8 {
        var reader = CredentialReader()
        try reader.feed(bytes)
        if !reader.finished { try reader.finish() }
        return reader.request
    }

    /// Feeds more input; stops consuming at the blank line.
    mutating func feed<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        for byte in bytes where !finished {
            if byte == UInt8(ascii: "\n") {
                try endLine()
            } else {
                // One byte of slack for a CR that will be stripped.
                guard pending.count <= Self.maximumLineLength else {
                    throw ProtocolError.lineTooLong(limit: Self.maximumLineLength)
                }
                pending.append(byte)
            }
        }
    }

    /// EOF: a last line without its newline still counts, as git sends it.
    mutating func finish() throws {
        if !pending.isEmpty { try endLine() }
        finished = true
    }

    private mutating func endLine() throws {
        var line = pending[...]
        pending.removeAll(keepingCapacity: true)
        if line.last == 13 { line = line.dropLast() }
        guard line.count <= Self.maximumLineLength else { throw ProtocolError.lineTooLong(limit: Self.maximumLineLength) }
        if line.isEmpty {
            finished = true
            return
        }
        guard !line.contains(0) else { throw ProtocolError.nulInInput }
        guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else {
            throw ProtocolError.missingEquals
        }
        try request.apply(
            key: String(decoding: line[..<equals], as: UTF8.self),
            value: String(decoding: line[(equals + 1)...], as: UTF8.self))
    }
}
