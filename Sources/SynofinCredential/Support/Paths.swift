import Glibc

/// Where the helper keeps its files, after the XDG base directory rules and SPEC.md's overrides.
public struct Paths: Sendable {
    public let environment: Environment
    /// `--config PATH`, which wins over every variable.
    public let configOverride: String?

    public init(environment: Environment, configOverride: String? = nil) {
        self.environment = environment
        self.configOverride = configOverride
    }

    public var home: String {
        if let home = environment["HOME"] { return home }
        if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir { return String(cString: directory) }
        return "/"
    }

    /// `$XDG_CONFIG_HOME/synofin-credential`, else `~/.config/synofin-credential`.
    public var configDirectory: String {
        (absolute(environment["XDG_CONFIG_HOME"]) ?? home + "/.config") + "/synofin-credential"
    }

    public var configFile: String {
        configOverride ?? environment["SYNOFIN_CREDENTIAL_CONFIG"] ?? configDirectory + "/config"
    }

    /// `$XDG_DATA_HOME/synofin-credential`, else `~/.local/share/synofin-credential`.
    public var dataDirectory: String {
        (absolute(environment["XDG_DATA_HOME"]) ?? home + "/.local/share") + "/synofin-credential"
    }

    /// Tokens are short-lived, so they prefer the per-login tmpfs that vanishes at logout.
    public var cacheDirectory: String {
        let base = absolute(environment["XDG_RUNTIME_DIR"]) ?? absolute(environment["XDG_CACHE_HOME"]) ?? home + "/.cache"
        return base + "/synofin-credential"
    }

    /// The XDG spec says relative values are invalid and must be ignored.
    private func absolute(_ path: String?) -> String? {
        guard let path, path.hasPrefix("/") else { return nil }
        return path
    }
}
