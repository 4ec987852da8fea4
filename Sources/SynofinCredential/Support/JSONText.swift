/// Small JSON documents for our own output (`token --json`, `status --json`), written in the
/// key order SPEC.md shows, which an encoder of dictionaries would not keep.
public indirect enum JSONText {
    case string(String)
    case number(Int64)
    case bool(Bool)
    case null
    case object([(String, JSONText)])
    case array([JSONText])

    public var rendered: String {
        switch self {
        case .string(let text): return Self.quoted(text)
        case .number(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .object(let fields):
            return "{" + fields.map { "\(Self.quoted($0.0)):\($0.1.rendered)" }.joined(separator: ",") + "}"
        case .array(let items):
            return "[" + items.map(\.rendered).joined(separator: ",") + "]"
        }
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
