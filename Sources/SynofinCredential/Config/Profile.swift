/// One LMS account the helper can get tokens for: non-secret settings only.
public struct Profile: Equatable, Sendable {
    public var name: String
    /// The API base URL, e.g. `https://api-preprod.synofin.tech`.
    public var url: ServiceURL
    public var clientName: String
    /// Where the key and secret live; nil means "not yet decided" (only before `login`).
    public var store: StoreKind?
    public var isDefault: Bool
    /// Path of the token endpoint below `url`.
    public var tokenPath: String
    public var caFile: String?
    /// Whole-exchange time limit in seconds (SPEC default 30).
    public var timeoutSeconds: Int
    /// The `username=` handed to git; the client name when unset.
    public var username: String?

    public static let defaultTokenPath = "/oauth/authorization"
    public static let defaultTimeoutSeconds = 30

    public init(
        name: String, url: ServiceURL, clientName: String, store: StoreKind?, isDefault: Bool = false,
        tokenPath: String = Profile.defaultTokenPath, caFile: String? = nil,
        timeoutSeconds: Int = Profile.defaultTimeoutSeconds, username: String? = nil
    ) {
        self.name = name
        self.url = url
        self.clientName = clientName
        self.store = store
        self.isDefault = isDefault
        self.tokenPath = tokenPath
        self.caFile = caFile
        self.timeoutSeconds = timeoutSeconds
        self.username = username
    }

    /// What `get` prints as `username=`.
    public var presentedUsername: String { username ?? clientName }

    /// The full token endpoint: `{url}/oauth/authorization` unless `token-path` says otherwise.
    public var tokenEndpoint: String {
        url.baseString + (tokenPath.hasPrefix("/") ? tokenPath : "/" + tokenPath)
    }

    /// Profile names appear in file names, config section headers and Secret Service attributes.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
    }
}

/// An LMS base URL: scheme http or https, a host, an optional port and base path; nothing else.
public struct ServiceURL: Equatable, Sendable {
    public let scheme: String
    public let hostname: String
    public let port: Int?
    /// Base path without leading or trailing slash ("" for none).
    public let path: String

    public struct Invalid: Error, Equatable {
        public let reason: String
    }

    public init(parsing text: String) throws {
        let parsed: CredentialURL
        do {
            parsed = try CredentialURL.parse(text)
        } catch {
            throw Invalid(reason: "'\(text)' is not a URL like https://api-preprod.synofin.tech")
        }
        let scheme = parsed.scheme.lowercased()
        guard scheme == "https" || scheme == "http" else {
            throw Invalid(reason: "'\(text)' must start with https:// (or http:// for a loopback stand-in)")
        }
        guard parsed.username == nil, parsed.password == nil else {
            throw Invalid(reason: "'\(text)' must not carry a user name or password; the key and secret are stored apart")
        }
        guard !text.contains("?"), !text.contains("#") else {
            throw Invalid(reason: "'\(text)' must not have a query or fragment")
        }
        let host = HostAndPort(parsed.host)
        guard !host.hostname.isEmpty, !host.hostname.contains(":") || host.hostname.hasPrefix("[") else {
            throw Invalid(reason: "'\(text)' has no valid host")
        }
        if let port = host.port, !(1...65535).contains(port) {
            throw Invalid(reason: "'\(text)' has a port outside 1-65535")
        }
        self.scheme = scheme
        self.hostname = host.hostname
        self.port = host.port == HostAndPort.defaultPort(forScheme: scheme) ? nil : host.port
        self.path = parsed.path ?? ""
    }

    /// `scheme://host[:port][/path]`, without a trailing slash.
    public var baseString: String {
        var text = "\(scheme)://\(hostname)"
        if let port { text += ":\(port)" }
        if !path.isEmpty { text += "/" + path }
        return text
    }

    /// True for names and addresses that never leave this machine.
    public var isLoopback: Bool {
        let bare = hostname.trimmingBrackets
        if bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { UInt8($0) != nil } && octets.first == "127"
    }

    /// Whether a credential request's `protocol` and `host` name this service.
    public func matches(protocol requestScheme: String, host requestHost: String) -> Bool {
        guard requestScheme.lowercased() == scheme else { return false }
        let requested = HostAndPort(requestHost)
        let defaultPort = HostAndPort.defaultPort(forScheme: scheme)
        return requested.hostname == hostname && (requested.port ?? defaultPort) == (port ?? defaultPort)
    }
}

extension String {
    var trimmingBrackets: String {
        hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
    }
}
