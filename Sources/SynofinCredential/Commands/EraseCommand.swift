extension Commands {
    static let erase = CommandSpec(
        name: "erase",
        summary: "git protocol: drop the cached token git found rejected",
        help: """
            usage: synofin-credential [--profile P] erase

            git calls this when a credential was rejected (HTTP 401). Drops the cached token of
            the matching profile when the request's password (or credential) is that token, or
            names none, so the next get exchanges afresh. Never deletes the API key or secret:
            that is `logout`. Prints nothing, exits 0.
            """
    ) { context in
        let request = try CredentialReader.read(from: context.input)
        guard let profile = try ProtocolMatch.profile(for: request, context: context) else { return .success }
        let cache = TokenCache(paths: context.paths)
        guard let cached = cache.read(for: profile) else { return .success }
        let offered = [request.password, request.credential].compactMap { $0 }
        guard offered.isEmpty || offered.contains(cached.accessToken) else {
            context.log.debug("erase names another credential than the cached token; keeping it")
            return .success
        }
        try cache.remove(for: profile)
        context.log.debug("dropped the cached token of '\(profile.name)'")
        return .success
    }
}
