/// Every profile this run can use: the config file's and, when its variables are set, `env`.
public struct ProfileSet: Sendable {
    public let config: ConfigFile
    public let environmentProfile: Profile?

    public static func load(paths: Paths) throws -> ProfileSet {
        ProfileSet(config: try ConfigFile.load(path: paths.configFile),
                   environmentProfile: try EnvironmentStore.profile(in: paths.environment))
    }

    /// The env profile first: set in the environment, it is what the user means right now.
    public var all: [Profile] {
        (environmentProfile.map { [$0] } ?? []) + config.profiles.filter { $0.name != environmentProfile?.name }
    }

    public func named(_ name: String) throws -> Profile {
        if let profile = all.first(where: { $0.name == name }) { return profile }
        let known = all.map(\.name)
        throw UsageError("no profile '\(name)' in \(config.path)"
            + (known.isEmpty ? "; create one with: synofin-credential login --profile \(name) --url URL --client-name NAME"
                             : " (profiles: \(known.joined(separator: ", ")))"))
    }

    /// The profile a command for people means: `--profile`, else the only one, else the env
    /// profile, else the single default.
    public func selected(_ option: String?) throws -> Profile {
        if let option { return try named(option) }
        let profiles = all
        if profiles.count == 1 { return profiles[0] }
        if let environmentProfile { return environmentProfile }
        let defaults = profiles.filter(\.isDefault)
        if defaults.count == 1 { return defaults[0] }
        if profiles.isEmpty {
            throw UsageError("no profiles yet; create one with: synofin-credential login --url URL --client-name NAME, or set SYNOFIN_API_KEY, SYNOFIN_API_SECRET, SYNOFIN_API_URL and SYNOFIN_CLIENT_NAME")
        }
        throw UsageError("several profiles (\(profiles.map(\.name).joined(separator: ", "))); choose one with --profile, or mark one 'default = true' in \(config.path)")
    }

    public enum Match: Equatable {
        case none
        case one(Profile)
        case ambiguous([String])
    }

    /// SPEC's matching for protocol requests: scheme, host and port equal; `username`, when
    /// sent, equals the client name, the profile name or the profile's `username`. One match, or
    /// one default among several (the env profile counts as default), wins.
    public func match(_ request: CredentialRequest, restrictedTo name: String? = nil) -> Match {
        guard let scheme = request.protocolName, let host = request.host else { return .none }
        let candidates = all.filter { profile in
            guard name == nil || profile.name == name, profile.url.matches(protocol: scheme, host: host) else { return false }
            guard let username = request.username else { return true }
            return [profile.clientName, profile.name, profile.username].contains(username)
        }
        if candidates.count == 1 { return .one(candidates[0]) }
        let defaults = candidates.filter(\.isDefault)
        if defaults.count == 1 { return .one(defaults[0]) }
        return candidates.isEmpty ? .none : .ambiguous(candidates.map(\.name))
    }
}
