/// Why a token exchange failed, mapped to SPEC's exit codes: 3 when the LMS refused the key or
/// secret, 5 for the network, TLS, timeouts and server faults, 2 for a profile that cannot work.
public enum ExchangeError: UserFacingError {
    case rejected(profile: String, status: Int, serverMessage: String?)
    case network(url: String, reason: String, tries: Int)
    case tls(url: String, reason: String)
    case serverError(url: String, status: Int, serverMessage: String?, tries: Int)
    case clientError(url: String, status: Int, serverMessage: String?)
    case badResponse(url: String, reason: String)
    case insecureURL(url: String)
    case libraryMissing(String)
    case badConfiguration(String)

    public var exitCode: ExitCode {
        switch self {
        case .rejected: return .rejected
        case .network, .tls, .serverError, .badResponse, .libraryMissing: return .network
        case .clientError: return .failure
        case .insecureURL, .badConfiguration: return .usage
        }
    }

    public var message: String {
        switch self {
        case .rejected(let profile, let status, let serverMessage):
            let what = status == 200 ? "refused" : "rejected (HTTP \(status))"
            return "the LMS \(what) the API key and secret of profile '\(profile)'\(quoted(serverMessage)); "
                + "if they changed, run: synofin-credential login --profile \(profile) ..."
        case .network(let url, let reason, let tries):
            return "cannot reach \(url): \(reason) (\(tries) \(tries == 1 ? "try" : "tries")); check the network, the proxy variables and the profile's url"
        case .tls(let url, let reason):
            return "TLS with \(url) failed: \(reason); if the server uses a private CA, set ca-file in the profile or SSL_CERT_FILE"
        case .serverError(let url, let status, let serverMessage, let tries):
            return "the LMS at \(url) answered HTTP \(status)\(quoted(serverMessage)) (\(tries) \(tries == 1 ? "try" : "tries")); try again later"
        case .clientError(let url, let status, let serverMessage):
            return "the LMS at \(url) answered HTTP \(status)\(quoted(serverMessage)); check the profile's url, token-path and client-name"
        case .badResponse(let url, let reason):
            return "the LMS at \(url) sent a response that is not a usable token: \(reason)"
        case .insecureURL(let url):
            return "refusing to send the API key to \(url) over plain http; use https:// (http:// is allowed only for loopback addresses)"
        case .libraryMissing(let reason), .badConfiguration(let reason):
            return reason
        }
    }

    private func quoted(_ serverMessage: String?) -> String {
        guard let serverMessage else { return "" }
        return ": \"\(Self.printable(serverMessage))\""
    }

    /// Server text shown on a terminal: control characters could move the cursor or forge lines.
    static func printable(_ text: String, limit: Int = 200) -> String {
        let cleaned = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) ? "?" : Character($0) })
        return cleaned.count > limit ? String(cleaned.prefix(limit)) + "..." : cleaned
    }
}
