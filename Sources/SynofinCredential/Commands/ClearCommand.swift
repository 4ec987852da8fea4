extension Commands {
    static let clear = CommandSpec(
        name: "clear",
        summary: "drop cached tokens",
        help: """
            usage: synofin-credential clear [--profile P]

            Deletes the cached token of profile P, or with no --profile every cached token
            (including those of profiles since removed). The API keys and secrets stay.
            """
    ) { context in
        let cache = TokenCache(paths: context.paths)
        if let name = context.profileOption {
            try cache.remove(for: try ProfileSet.load(paths: context.paths).named(name))
            return .success
        }
        try cache.removeAll()
        return .success
    }
}
