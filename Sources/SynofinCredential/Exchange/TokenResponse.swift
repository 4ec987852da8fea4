import FoundationEssentials

/// The LMS token endpoint's answer, read tolerantly: every field is optional and of any type, so
/// one odd field never hides the message the server meant to give. `user_data` (which echoes the
/// API key and secret) is not declared, so the decoder never turns it into values.
struct TokenResponse: Decodable {
    let response: Bool?
    let data: DataPart?
    let error: JSONValue?

    struct DataPart: Decodable {
        let response: Bool?
        let authData: AuthData?
        let errorMessage: JSONValue?

        enum CodingKeys: String, CodingKey {
            case response
            case authData = "auth_data"
            case errorMessage = "error_message"
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            response = try? container.decodeIfPresent(Bool.self, forKey: .response)
            authData = try? container.decodeIfPresent(AuthData.self, forKey: .authData)
            errorMessage = try? container.decodeIfPresent(JSONValue.self, forKey: .errorMessage)
        }
    }

    struct AuthData: Decodable {
        let accessToken: JSONValue?
        let expiresIn: JSONValue?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            accessToken = try? container.decodeIfPresent(JSONValue.self, forKey: .accessToken)
            expiresIn = try? container.decodeIfPresent(JSONValue.self, forKey: .expiresIn)
        }
    }

    enum CodingKeys: String, CodingKey {
        case response, data, error
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        response = try? container.decodeIfPresent(Bool.self, forKey: .response)
        data = try? container.decodeIfPresent(DataPart.self, forKey: .data)
        error = try? container.decodeIfPresent(JSONValue.self, forKey: .error)
    }

    /// Decodes `length` bytes of `body` in place: no copy of the (secret-echoing) body is made.
    static func decode(_ body: SecretBytes, length: Int) -> TokenResponse? {
        body.withUnsafeMutableBytes { buffer in
            let data = Data(bytesNoCopy: buffer.baseAddress!, count: length, deallocator: .none)
            return try? JSONDecoder().decode(TokenResponse.self, from: data)
        }
    }

    /// What the server said went wrong, from `error` (string or object) or `data.error_message`.
    var serverMessage: String? {
        [error, data?.errorMessage].lazy.compactMap { $0?.message }.first
    }

    /// `expires_in` as a number or a numeric string, in whole seconds.
    var expiresIn: Int? {
        switch data?.authData?.expiresIn {
        case .number(let value)?: return value.isFinite ? Int(exactly: value.rounded(.down)) : nil
        case .string(let text)?:
            let trimmed = text.filter { $0 != " " }
            return Int(trimmed) ?? Double(trimmed).flatMap { $0.isFinite ? Int(exactly: $0.rounded(.down)) : nil }
        default: return nil
        }
    }
}

/// Any JSON value, for fields whose type the server does not keep fixed.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// A one-line message: a string as is, an object's `message` (or `error`/`detail`), else nil.
    var message: String? {
        switch self {
        case .string(let text): return text.isEmpty ? nil : text
        case .object(let fields):
            for key in ["message", "error_message", "error", "detail", "code"] {
                if let text = fields[key]?.message { return text }
            }
            return nil
        default: return nil
        }
    }
}
