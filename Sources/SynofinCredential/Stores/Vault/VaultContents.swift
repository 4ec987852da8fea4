/// The vault's plaintext: every file-stored profile's API key and secret, as JSON with a format
/// version, so that `age -d vault.age | jq` shows a person what is inside:
///
///     {
///       "version": 1,
///       "profiles": {
///         "preprod": {
///           "api_key": "...",
///           "api_secret": "..."
///         }
///       }
///     }
///
/// Read and written by hand over `SecretBytes` (`VaultJSON`) rather than with JSONDecoder,
/// which would turn every key and secret into a `String` that is copied around and never wiped.
/// The shape is fixed, so the reader is strict: an unknown field is refused rather than dropped
/// on the next save.
struct VaultContents {
    static let formatVersion = 1

    var profiles: [String: APICredentials] = [:]

    struct Invalid: Error {
        let reason: String
    }

    static func parse(_ plaintext: SecretBytes) throws -> VaultContents {
        try plaintext.withUnsafeBytes { bytes in
            let reader = VaultJSON.Reader(bytes)
            var version: Int?
            var contents = VaultContents()
            try reader.readObject { field in
                switch field {
                case "version":
                    version = try reader.readInteger()
                case "profiles":
                    try reader.readObject { name in
                        guard contents.profiles[name] == nil else { throw Invalid(reason: "profile '\(name)' appears twice") }
                        contents.profiles[name] = try readProfile(reader, name: name)
                    }
                default:
                    throw Invalid(reason: "unknown field '\(field)'")
                }
            }
            try reader.expectEnd()
            guard let version else { throw Invalid(reason: "no \"version\" field") }
            guard version == formatVersion else {
                throw Invalid(reason: version > formatVersion
                    ? "format version \(version) was written by a newer synofin-credential; upgrade it"
                    : "unknown format version \(version)")
            }
            return contents
        }
    }

    private static func readProfile(_ reader: VaultJSON.Reader, name: String) throws -> APICredentials {
        var key: SecretBytes?
        var secret: SecretBytes?
        try reader.readObject { field in
            switch field {
            case "api_key" where key == nil: key = try reader.readSecretString()
            case "api_secret" where secret == nil: secret = try reader.readSecretString()
            default: throw Invalid(reason: "unexpected or repeated field '\(field)' in profile '\(name)'")
            }
        }
        guard let key, let secret, !key.isEmpty, !secret.isEmpty else {
            throw Invalid(reason: "profile '\(name)' lacks a non-empty api_key or api_secret")
        }
        return APICredentials(apiKey: key, apiSecret: secret)
    }

    /// The JSON text, in wiped memory; profiles sorted by name so that equal contents give
    /// equal plaintexts.
    func serialised() throws -> SecretBytes {
        var writer = VaultJSON.Writer()
        writer.append("{\n  \"version\": \(Self.formatVersion),\n  \"profiles\": {")
        for (index, name) in profiles.keys.sorted().enumerated() {
            let credentials = profiles[name]!
            // JSON is Unicode text: bytes that are not UTF-8 could not be read back by jq or by us.
            guard VaultJSON.isUTF8(credentials.apiKey), VaultJSON.isUTF8(credentials.apiSecret) else {
                throw Invalid(reason: "the API key or secret of profile '\(name)' is not UTF-8 text")
            }
            writer.append(index == 0 ? "\n    " : ",\n    ")
            writer.appendString(SecretBytes(Array(name.utf8)))
            writer.append(": {\n      \"api_key\": ")
            writer.appendString(credentials.apiKey)
            writer.append(",\n      \"api_secret\": ")
            writer.appendString(credentials.apiSecret)
            writer.append("\n    }")
        }
        writer.append(profiles.isEmpty ? "}\n}\n" : "\n  }\n}\n")
        return writer.finish()
    }
}
