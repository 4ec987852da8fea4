/// What a caller sent on stdin: git's `key=value` attributes after every rule of the format
/// has been applied (`url=` expanded, `k[]` lists collected, last scalar wins).
public struct CredentialRequest: Equatable, Sendable {
    public var attributes: [String: String] = [:]
    public var lists: [String: [String]] = [:]

    public init() {}

    public var protocolName: String? { attributes["protocol"] }
    public var host: String? { attributes["host"] }
    public var path: String? { attributes["path"] }
    public var username: String? { attributes["username"] }
    public var password: String? { attributes["password"] }
    /// The pre-encoded credential of git >= 2.46's `authtype` form.
    public var credential: String? { attributes["credential"] }

    /// True when the caller understands `authtype=`/`credential=` (git >= 2.46).
    public var acceptsAuthtype: Bool { lists["capability"]?.contains("authtype") ?? false }

    /// Applies one `key=value` line. `url=` resets everything before it, as git does.
    mutating func apply(key: String, value: String) throws {
        if key.hasSuffix("[]") {
            let name = String(key.dropLast(2))
            if value.isEmpty {
                lists[name] = nil
            } else {
                lists[name, default: []].append(value)
            }
            return
        }
        guard key == "url" else {
            attributes[key] = value
            return
        }
        let url: CredentialURL
        do {
            url = try CredentialURL.parse(value)
        } catch {
            throw ProtocolError.badURL
        }
        self = CredentialRequest()
        attributes["protocol"] = url.scheme
        attributes["host"] = url.host
        attributes["username"] = url.username
        attributes["password"] = url.password
        attributes["path"] = url.path
    }
}

/// Input that breaks the credential format. Messages never echo the line: it may hold a password.
public enum ProtocolError: UserFacingError, Equatable {
    case lineTooLong(limit: Int)
    case missingEquals
    case nulInInput
    case badURL
    case unsafeValue(key: String)

    public var exitCode: ExitCode { .usage }

    public var message: String {
        switch self {
        case .lineTooLong(let limit):
            return "credential input has a line longer than \(limit) bytes; refusing it"
        case .missingEquals:
            return "invalid credential line (no '='); expected key=value lines ended by a blank line"
        case .nulInInput:
            return "credential input contains a NUL byte; refusing it"
        case .badURL:
            return "the url= value is not a URL git could have sent (scheme://host/...)"
        case .unsafeValue(let key):
            return "the value for '\(key)' contains a CR, LF or NUL and cannot be written in the credential format"
        }
    }
}
