/// Writes git's credential format. Every key and value is checked: a CR, LF or NUL would let a
/// value forge the next attribute (git itself dies on them), so such output is refused whole.
public struct CredentialWriter {
    private var lines: [String] = []

    public init() {}

    public mutating func add(_ key: String, _ value: String) throws {
        for text in [key, value] where text.utf8.contains(where: { $0 == 0 || $0 == 10 || $0 == 13 }) {
            throw ProtocolError.unsafeValue(key: key.utf8.contains(where: { $0 < 0x20 }) ? "?" : key)
        }
        lines.append("\(key)=\(value)\n")
    }

    public var text: String { lines.joined() }
}
