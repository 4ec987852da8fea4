extension Commands {
    static let logout = CommandSpec(
        name: "logout",
        summary: "remove a profile with its key, secret and cached token",
        help: """
            usage: synofin-credential logout [--profile P]

            Removes the profile's API key and secret from its store, its cached token, and its
            section of the config file. If the store cannot be reached (exit 4), nothing is
            removed, so the command can simply be run again.
            """
    ) { context in
        let profiles = try ProfileSet.load(paths: context.paths)
        let profile = try profiles.selected(context.profileOption)
        guard profile.store != .environment else {
            throw UsageError("the env profile comes from SYNOFIN_API_KEY and friends; unset them to remove it")
        }
        if profile.store != nil {
            try StoreSelection(context: context.storeContext).store(for: profile).remove(profile: profile)
        }
        try TokenCache(paths: context.paths).remove(for: profile)
        try ConfigEditor.remove(profileNamed: profile.name, path: profiles.config.path)
        context.log.notice("profile '\(profile.name)' removed")
        return .success
    }
}
