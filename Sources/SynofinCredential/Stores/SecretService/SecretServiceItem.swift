/// How a profile's key and secret look in the Secret Service (SPEC.md): one item per profile, so
/// both are written and removed together. Attributes are not secret (any client on the session
/// bus may search them); they are there for lookups (`profile`) and for people (`url`,
/// `client-name` in Seahorse and `secret-tool search profile P`).
struct SecretServiceItem {
    static let schema = "tech.synofin.Credential"
    static let profileAttribute = "profile"
    static let urlAttribute = "url"
    static let clientNameAttribute = "client-name"
    static let contentType = "text/plain"

    let profile: Profile

    var label: String { "Synofin LMS API key (profile \(profile.name))" }

    /// What an item is stored with.
    var attributes: [(String, String)] {
        [
            (Self.profileAttribute, profile.name),
            (Self.urlAttribute, profile.url.baseString),
            (Self.clientNameAttribute, profile.clientName),
        ]
    }

    /// What finds it: the profile name alone, so an item written before the profile's URL or
    /// client name changed is still found (and replaced).
    var lookupAttributes: [(String, String)] {
        [(Self.profileAttribute, profile.name)]
    }
}

/// The item's secret: `api_key=KEY\napi_secret=SECRET\n`, the lines `login --stdin` reads, so a
/// person who opens the item in Seahorse sees what it holds. Built and parsed over SecretBytes
/// only, never through a String.
enum SecretServicePayload {
    private static let keyPrefix = Array("api_key=".utf8)
    private static let secretPrefix = Array("api_secret=".utf8)
    private static let newline = UInt8(ascii: "\n")

    struct Unencodable: UserFacingError {
        let field: String
        var exitCode: ExitCode { .usage }
        var message: String { "the \(field) must be one non-empty line without NUL bytes; check what was pasted" }
    }

    static func encode(_ credentials: APICredentials) throws -> SecretBytes {
        try check(credentials.apiKey, field: "API key")
        try check(credentials.apiSecret, field: "API secret")
        return SecretBytes.joined([
            SecretBytes(keyPrefix), credentials.apiKey, SecretBytes([newline]),
            SecretBytes(secretPrefix), credentials.apiSecret, SecretBytes([newline]),
        ])
    }

    private static func check(_ value: SecretBytes, field: String) throws {
        let clean = value.withUnsafeBytes { bytes in
            !bytes.isEmpty && !bytes.contains { $0 == 0 || $0 == 10 || $0 == 13 }
        }
        guard clean else { throw Unencodable(field: field) }
    }

    /// The key and secret, or nil when either line is missing, empty or given twice. Unknown
    /// lines are skipped, and a CR before a newline is dropped (an item edited by hand).
    static func decode(_ payload: SecretBytes) -> APICredentials? {
        payload.withUnsafeBytes { bytes -> APICredentials? in
            var key: SecretBytes?
            var secret: SecretBytes?
            var start = bytes.startIndex
            while start < bytes.endIndex {
                let end = bytes[start...].firstIndex(of: newline) ?? bytes.endIndex
                var line = bytes[start..<end]
                if line.last == 13 { line = line.dropLast() }
                if line.starts(with: keyPrefix) {
                    guard key == nil else { return nil }
                    key = SecretBytes(line.dropFirst(keyPrefix.count))
                } else if line.starts(with: secretPrefix) {
                    guard secret == nil else { return nil }
                    secret = SecretBytes(line.dropFirst(secretPrefix.count))
                }
                start = end < bytes.endIndex ? end + 1 : end
            }
            guard let key, let secret, !key.isEmpty, !secret.isEmpty else { return nil }
            return APICredentials(apiKey: key, apiSecret: secret)
        }
    }
}
