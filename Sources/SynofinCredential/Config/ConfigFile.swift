import Glibc

/// A configuration mistake; the message names the file and line so the user can go straight there.
public struct ConfigError: UserFacingError {
    public let message: String
    public var exitCode: ExitCode { .usage }

    public init(path: String, line: Int?, _ reason: String) {
        message = line.map { "\(path), line \($0): \(reason)" } ?? "\(path): \(reason)"
    }
}

/// The profiles of the config file (SPEC "Files and environment"). Non-secret settings only.
public struct ConfigFile: Sendable {
    public let path: String
    public let profiles: [Profile]
    /// The raw text, kept so edits can leave everything they do not touch as it was.
    let text: String

    /// Every setting a `[profile "NAME"]` section may hold.
    static let profileKeys: Set<String> = [
        "url", "client-name", "store", "default", "token-path", "ca-file", "timeout", "username",
    ]

    /// Reads the file; a missing file is an empty configuration.
    public static func load(path: String) throws -> ConfigFile {
        guard let bytes = try FileSystem.read(path, limit: 1 << 20) else {
            return ConfigFile(path: path, profiles: [], text: "")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return ConfigFile(path: path, profiles: try profiles(in: text, path: path), text: text)
    }

    public func profile(named name: String) -> Profile? {
        profiles.first { $0.name == name }
    }

    static func profiles(in text: String, path: String) throws -> [Profile] {
        let entries: [GitConfigParser.Entry]
        do {
            entries = try GitConfigParser.parse(text).entries
        } catch let error as GitConfigParser.SyntaxError {
            throw ConfigError(path: path, line: error.line, error.reason)
        }
        var order: [String] = []
        var settings: [String: [String: (value: String?, line: Int)]] = [:]
        var firstLine: [String: Int] = [:]
        for entry in entries where entry.section == "profile" {
            guard let name = entry.subsection, Profile.isValidName(name) else {
                throw ConfigError(path: path, line: entry.line,
                                  "a profile needs a name of letters, digits, '-', '_' or '.', as in [profile \"preprod\"]")
            }
            guard profileKeys.contains(entry.name) else {
                throw ConfigError(path: path, line: entry.line,
                                  "unknown setting '\(entry.name)' (known: \(profileKeys.sorted().joined(separator: ", ")))")
            }
            if settings[name] == nil {
                order.append(name)
                firstLine[name] = entry.line
            }
            settings[name, default: [:]][entry.name] = (entry.value, entry.line)
        }
        return try order.map { name in
            try profile(name: name, settings: settings[name]!, headerLine: firstLine[name]!, path: path)
        }
    }

    private static func profile(
        name: String, settings: [String: (value: String?, line: Int)], headerLine: Int, path: String
    ) throws -> Profile {
        func required(_ key: String) throws -> (String, Int) {
            guard let setting = settings[key], let value = setting.value, !value.isEmpty else {
                throw ConfigError(path: path, line: settings[key]?.line ?? headerLine,
                                  "profile '\(name)' has no \(key); run synofin-credential login --profile \(name) ...")
            }
            return (value, setting.line)
        }
        let (urlText, urlLine) = try required("url")
        let url: ServiceURL
        do {
            url = try ServiceURL(parsing: urlText)
        } catch let error as ServiceURL.Invalid {
            throw ConfigError(path: path, line: urlLine, error.reason)
        }
        var profile = Profile(name: name, url: url, clientName: try required("client-name").0, store: nil)
        if let (value, line) = settings["store"].map({ ($0.value ?? "", $0.line) }) {
            guard let kind = StoreKind(rawValue: value), kind != .environment else {
                throw ConfigError(path: path, line: line, "store must be secret-service or file, not '\(value)'")
            }
            profile.store = kind
        }
        if let setting = settings["default"] {
            guard let flag = parseBool(setting.value) else {
                throw ConfigError(path: path, line: setting.line, "default must be true or false")
            }
            profile.isDefault = flag
        }
        if let setting = settings["timeout"] {
            guard let seconds = setting.value.flatMap({ Int($0) }), (1...600).contains(seconds) else {
                throw ConfigError(path: path, line: setting.line, "timeout must be a whole number of seconds from 1 to 600")
            }
            profile.timeoutSeconds = seconds
        }
        if let setting = settings["token-path"] {
            guard let value = setting.value, value.hasPrefix("/"), !value.contains(where: { "?# ".contains($0) }) else {
                throw ConfigError(path: path, line: setting.line, "token-path must be a path starting with /")
            }
            profile.tokenPath = value
        }
        if let setting = settings["ca-file"] {
            guard let value = setting.value, !value.isEmpty else {
                throw ConfigError(path: path, line: setting.line, "ca-file needs a path to a PEM file")
            }
            profile.caFile = expandHome(value)
        }
        if let setting = settings["username"] {
            guard let value = setting.value, !value.isEmpty else {
                throw ConfigError(path: path, line: setting.line, "username needs a value")
            }
            profile.username = value
        }
        return profile
    }

    /// git's boolean spellings.
    static func parseBool(_ value: String?) -> Bool? {
        guard let value = value?.lowercased() else { return true }
        switch value {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0", "": return false
        default: return nil
        }
    }

    /// `~/` at the start of a path means the home directory, as git's pathname values do.
    static func expandHome(_ value: String) -> String {
        guard value.hasPrefix("~/") else { return value }
        return Paths(environment: .current).home + value.dropFirst()
    }
}
