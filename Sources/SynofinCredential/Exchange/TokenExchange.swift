import Glibc

/// A token as the LMS issued it.
public struct IssuedToken: Sendable {
    public let accessToken: String
    /// Seconds of life the LMS granted, counted from when the answer arrived.
    public let expiresIn: Int
}

/// `POST {url}/oauth/authorization` with Basic auth and `client_name`, retried as SPEC.md says:
/// up to 3 tries on connection errors, 429 and 5xx, with backoff and `Retry-After`, all inside
/// the profile's time limit; other answers are final.
public struct TokenExchange {
    public static let maximumTries = 3
    public static let connectTimeout = 10.0
    public static let maximumBodyBytes = 1 << 20
    /// The longest token we will hand on: it must fit a git credential line with room to spare.
    public static let maximumTokenLength = 60_000

    let environment: Environment
    let log: Log
    /// Waits between tries; tests may shorten it.
    var pause: (Double) -> Void = { seconds in usleep(useconds_t(seconds * 1_000_000)) }

    public init(environment: Environment, log: Log) {
        self.environment = environment
        self.log = log
    }

    public func exchange(profile: Profile, credentials: APICredentials) throws -> IssuedToken {
        let endpoint = profile.tokenEndpoint
        if profile.url.scheme == "http" && !profile.url.isLoopback { throw ExchangeError.insecureURL(url: endpoint) }
        let caFile = try trustedCAFile(profile)
        let deadline = Clock.monotonicSeconds() + Double(profile.timeoutSeconds)
        var lastError: ExchangeError?
        for attempt in 1...Self.maximumTries {
            let remaining = deadline - Clock.monotonicSeconds()
            guard remaining > 0.05 else { break }
            log.debug("POST \(endpoint) as client '\(profile.clientName)' (try \(attempt) of \(Self.maximumTries), \(Int(remaining)) s left)")
            let request = HTTPRequest(
                url: endpoint,
                headers: Self.headers(for: profile),
                credentials: credentials, caFile: caFile, caDirectory: environment["SSL_CERT_DIR"],
                connectTimeout: min(Self.connectTimeout, remaining), totalTimeout: remaining,
                isLoopbackHTTP: profile.url.scheme == "http", maximumBodyBytes: Self.maximumBodyBytes)
            let started = Clock.monotonicSeconds()
            let outcome = Result { try HTTPClient.post(request) }
            let milliseconds = Int((Clock.monotonicSeconds() - started) * 1000)
            var retryAfter: Int?
            switch outcome {
            case .success(let response):
                log.debug("HTTP \(response.status), \(response.bodyLength) bytes, in \(milliseconds) ms")
                switch response.status {
                case 200:
                    return try token(from: response, profile: profile, endpoint: endpoint)
                case 401, 403:
                    throw ExchangeError.rejected(profile: profile.name, status: response.status,
                                                 serverMessage: message(of: response))
                case 429, 500...599:
                    lastError = .serverError(url: endpoint, status: response.status, serverMessage: message(of: response),
                                             tries: attempt)
                    retryAfter = response.retryAfter
                default:
                    throw ExchangeError.clientError(url: endpoint, status: response.status, serverMessage: message(of: response))
                }
            case .failure(let error):
                log.debug("no answer after \(milliseconds) ms: \(error)")
                let mapped = Self.map(error, endpoint: endpoint, tries: attempt)
                guard isRetryable(error) else { throw mapped }
                lastError = mapped
            }
            guard attempt < Self.maximumTries else { break }
            let wait = Double(retryAfter ?? (1 << (attempt - 1)))
            guard Clock.monotonicSeconds() + wait < deadline else {
                log.debug("a wait of \(Int(wait)) s would pass the \(profile.timeoutSeconds) s limit; giving up")
                break
            }
            log.debug("waiting \(Int(wait)) s before the next try")
            pause(wait)
        }
        throw lastError ?? ExchangeError.network(url: endpoint, reason: "timed out after \(profile.timeoutSeconds) s", tries: 1)
    }

    /// The LMS wants `client_name`; "Content-Type:" stops libcurl adding a form type to the empty body.
    static func headers(for profile: Profile) -> [String] {
        ["client_name: \(profile.clientName)", "Accept: application/json", "Content-Type:",
         "User-Agent: synofin-credential/\(Commands.version)"]
    }

    /// The CA bundle to trust: the profile's `ca-file`, else SSL_CERT_FILE or CURL_CA_BUNDLE, else libcurl's default.
    func trustedCAFile(_ profile: Profile) throws -> String? {
        guard let path = profile.caFile ?? environment["SSL_CERT_FILE"] ?? environment["CURL_CA_BUNDLE"] else { return nil }
        guard access(path, R_OK) == 0 else {
            let origin = profile.caFile != nil ? "ca-file of profile '\(profile.name)'" : "SSL_CERT_FILE/CURL_CA_BUNDLE"
            throw UsageError("the \(origin) is \(path), which cannot be read: \(String(cString: strerror(errno)))")
        }
        return path
    }

    private func token(from response: HTTPResponse, profile: Profile, endpoint: String) throws -> IssuedToken {
        guard let decoded = TokenResponse.decode(response.body, length: response.bodyLength) else {
            throw ExchangeError.badResponse(url: endpoint, reason: "the body is not JSON")
        }
        if decoded.response == false || decoded.data?.response == false {
            throw ExchangeError.rejected(profile: profile.name, status: 200, serverMessage: decoded.serverMessage)
        }
        guard case .string(let accessToken)? = decoded.data?.authData?.accessToken else {
            throw ExchangeError.badResponse(url: endpoint, reason: "data.auth_data.access_token is missing or not a string")
        }
        guard !accessToken.isEmpty, accessToken.utf8.count <= Self.maximumTokenLength,
              accessToken.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E })
        else {
            throw ExchangeError.badResponse(
                url: endpoint, reason: "the access token is empty, too long, or holds spaces or control characters")
        }
        guard let expiresIn = decoded.expiresIn else {
            throw ExchangeError.badResponse(url: endpoint, reason: "data.auth_data.expires_in is missing or not a number")
        }
        guard expiresIn > TokenLifetime.hardMargin else {
            throw ExchangeError.badResponse(
                url: endpoint, reason: "the token lives \(expiresIn) s, less than the \(TokenLifetime.hardMargin) s it must have left to be served")
        }
        log.debug("got access token \(Log.redacted(accessToken)), expires in \(expiresIn) s")
        return IssuedToken(accessToken: accessToken, expiresIn: expiresIn)
    }

    private func message(of response: HTTPResponse) -> String? {
        TokenResponse.decode(response.body, length: response.bodyLength)?.serverMessage
    }

    // libcurl error codes (curl.h, CURLcode) that a later try may not meet again.
    private static let transientCurlCodes: Set<Int> = [5, 6, 7, 16, 18, 28, 35, 52, 55, 56]
    private static let tlsCurlCodes: Set<Int> = [35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91]

    private func isRetryable(_ error: Error) -> Bool {
        guard case TransportError.curl(let code, _) = error else { return false }
        return Self.transientCurlCodes.contains(code)
    }

    static func map(_ error: Error, endpoint: String, tries: Int) -> ExchangeError {
        switch error {
        case TransportError.libraryMissing(let reason):
            return .libraryMissing(reason)
        case TransportError.bodyTooLarge(let limit):
            return .badResponse(url: endpoint, reason: "the body is larger than \(limit / 1024) KiB")
        case TransportError.curl(let code, let message) where Self.tlsCurlCodes.contains(code):
            return .tls(url: endpoint, reason: message)
        case TransportError.curl(_, let message):
            return .network(url: endpoint, reason: message, tries: tries)
        default:
            return .network(url: endpoint, reason: "\(error)", tries: tries)
        }
    }
}
