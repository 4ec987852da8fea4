extension Commands {
    static let status = CommandSpec(
        name: "status",
        summary: "show every profile and its cached token",
        help: """
            usage: synofin-credential status [--json]

            For every profile: URL, client name, store (and whether it can serve here), and
            whether a cached token is valid and until when. Never unlocks a store, never
            exchanges, never prints a secret or a token.
              --json  one JSON object: {"config", "profiles": [{"name", "url", "client_name",
                      "store", "default", "store_usable", "store_problem", "store_locked", "token_state",
                      "token_expires_at"}]}
            """,
        options: ["json"]
    ) { context in
        let profiles = try ProfileSet.load(paths: context.paths)
        let cache = TokenCache(paths: context.paths)
        let stores = StoreSelection(context: context.storeContext)
        let now = Clock.unixSeconds()
        let reports = try profiles.all.map { profile in
            let health = stores.health(of: try stores.store(for: profile))
            return ProfileReport(profile: profile, token: cache.read(for: profile),
                                 storeProblem: health.problem, storeLocked: health.isLocked, now: now)
        }
        if context.invocation.flag("json") {
            let document = JSONText.object([
                ("config", .string(profiles.config.path)),
                ("profiles", .array(reports.map(\.json))),
            ])
            StandardStream.output.write(document.rendered + "\n")
        } else if reports.isEmpty {
            StandardStream.output.write("no profiles in \(profiles.config.path); add one with: synofin-credential login --url URL --client-name NAME\n")
        } else {
            StandardStream.output.write(reports.map(\.text).joined(separator: "\n"))
        }
        return .success
    }
}

/// One profile's line in `status`.
private struct ProfileReport {
    let profile: Profile
    let token: CachedToken?
    let storeProblem: String?
    /// The profile's keyring is locked (never unlocked by `status`).
    let storeLocked: Bool
    let now: Int64

    var tokenState: String {
        guard let token else { return "none" }
        switch token.state(now: now) {
        case .fresh: return "valid"
        case .refreshDue: return "refresh-due"
        case .expired: return "expired"
        }
    }

    var tokenDescription: String {
        guard let token else { return "none cached" }
        let until = TokenLifetime.servedUntil(expiresAt: token.expiresAt)
        switch token.state(now: now) {
        case .fresh, .refreshDue:
            return "\(tokenState), served until \(Timestamp.rfc3339(until)) (\(Timestamp.remaining(until: until, now: now)))"
        case .expired:
            return "expired at \(Timestamp.rfc3339(token.expiresAt)); the next use exchanges a new one"
        }
    }

    var storeNote: String {
        if let storeProblem { return " (cannot serve here: \(storeProblem))" }
        return storeLocked ? " (locked: the next use will ask you to unlock it)" : ""
    }

    var text: String {
        let store = profile.store?.rawValue ?? "none"
        return """
            \(profile.name)\(profile.isDefault ? " (default)" : "")
              url:          \(profile.url.baseString)
              client name:  \(profile.clientName)
              store:        \(store)\(storeNote)
              token:        \(tokenDescription)

            """
    }

    var json: JSONText {
        .object([
            ("name", .string(profile.name)),
            ("url", .string(profile.url.baseString)),
            ("client_name", .string(profile.clientName)),
            ("store", profile.store.map { .string($0.rawValue) } ?? .null),
            ("default", .bool(profile.isDefault)),
            ("store_usable", .bool(storeProblem == nil)),
            ("store_problem", storeProblem.map { .string($0) } ?? .null),
            ("store_locked", .bool(storeLocked)),
            ("token_state", .string(tokenState)),
            ("token_expires_at", token.map { .string(Timestamp.rfc3339($0.expiresAt)) } ?? .null),
        ])
    }
}
