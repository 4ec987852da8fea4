/// A URL taken apart the way git's `credential_from_url` does it: `proto://[user[:pass]@]host[:port][/path]`,
/// each part percent-decoded, path trimmed of its leading and trailing slashes.
public struct CredentialURL: Equatable, Sendable {
    public var scheme: String
    /// Host name with any `:port`, as git sends it in `host=`.
    public var host: String
    public var username: String?
    public var password: String?
    public var path: String?

    public enum ParseError: Error, Equatable {
        case noScheme
        case unsafeCharacter(component: String)
        case badPercentEncoding(component: String)
    }

    public static func parse(_ text: String) throws -> CredentialURL {
        guard let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") else {
            throw ParseError.noScheme
        }
        let scheme = String(text[..<colon])
        guard !scheme.isEmpty else { throw ParseError.noScheme }
        let rest = text[text.index(colon, offsetBy: 3)...]
        // The authority ends at the first '/', '?' or '#', as in git since 2.26.
        let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var hostPart = authority
        var username: String?
        var password: String?
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            hostPart = authority[authority.index(after: at)...]
            if let colon = userinfo.firstIndex(of: ":") {
                username = try decode(userinfo[..<colon], component: "username")
                password = try decode(userinfo[userinfo.index(after: colon)...], component: "password")
            } else {
                username = try decode(userinfo, component: "username")
            }
        }
        var path: String?
        let pathPart = rest[authorityEnd...].drop(while: { $0 == "/" })
        if !pathPart.isEmpty {
            var decoded = try decode(pathPart, component: "path")
            while decoded.count > 1 && decoded.hasSuffix("/") { decoded.removeLast() }
            path = decoded
        }
        return CredentialURL(
            scheme: try decode(Substring(scheme), component: "protocol"),
            host: try decode(hostPart, component: "host"),
            username: username, password: password, path: path)
    }

    /// Percent-decoding that refuses what could break a protocol line once decoded.
    static func decode(_ text: Substring, component: String) throws -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard iterator.count >= 2,
                      let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
                else { throw ParseError.badPercentEncoding(component: component) }
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        guard !bytes.contains(where: { $0 == 0 || $0 == 10 || $0 == 13 }) else {
            throw ParseError.unsafeCharacter(component: component)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A `host[:port]` value split into its parts; IPv6 literals keep their brackets.
public struct HostAndPort: Equatable, Sendable {
    public let hostname: String
    public let port: Int?

    public init(_ text: String) {
        var hostname = Substring(text)
        var port: Int?
        if let colon = text.lastIndex(of: ":"), !text[colon...].contains("]"),
           let number = Int(text[text.index(after: colon)...]) {
            hostname = text[..<colon]
            port = number
        }
        self.hostname = hostname.lowercased()
        self.port = port
    }

    /// The port a scheme implies when none is written.
    public static func defaultPort(forScheme scheme: String) -> Int? {
        switch scheme.lowercased() {
        case "https": return 443
        case "http": return 80
        default: return nil
        }
    }
}
