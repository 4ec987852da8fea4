extension Commands {
    static let login = CommandSpec(
        name: "login",
        summary: "enrol a profile: store its API key and secret",
        help: """
            usage: synofin-credential login [--profile P] --url URL --client-name C
                                            [--store auto|secret-service|file] [--stdin] [--no-verify]

            Asks for the API key and secret on the terminal (without echo), or with --stdin reads
            them as `api_key=...` and `api_secret=...` lines; checks them with one token exchange
            (unless --no-verify); stores them; and writes the profile (default name "default") to
            the config file. Re-running login for a profile replaces its key and secret and keeps
            its other settings. The key and secret are never accepted as arguments.

              --store auto            the Secret Service when it can serve here, else the
                                      encrypted vault (the default; says which on stderr)
              --store secret-service  GNOME Keyring, KeePassXC, KWallet...
              --store file            the age-encrypted vault (see `vault --help`)

            The first profile for a URL becomes its default. Exit 3 if the LMS rejects the key
            and secret; nothing is stored then.

            Example: printf 'api_key=%s\\napi_secret=%s\\n' "$KEY" "$SECRET" |
                       synofin-credential login --profile preprod --url https://api-preprod.synofin.tech --client-name acme --stdin
            """,
        options: ["url", "client-name", "store", "stdin", "no-verify"]
    ) { context in
        let invocation = context.invocation
        let name = context.profileOption ?? "default"
        guard Profile.isValidName(name) else {
            throw UsageError("profile names are letters, digits, '-', '_' and '.' (at most 64), not '\(name)'")
        }
        guard name != EnvironmentStore.profileName else {
            throw UsageError("the profile name 'env' is reserved for SYNOFIN_API_KEY and friends; pick another")
        }
        guard let urlText = invocation.value("url") else { throw UsageError("login needs --url, e.g. --url https://api-preprod.synofin.tech") }
        guard let clientName = invocation.value("client-name"), !clientName.isEmpty else {
            throw UsageError("login needs --client-name, the client_name the LMS issued with the key")
        }
        guard !clientName.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw UsageError("--client-name contains control characters")
        }
        let url: ServiceURL
        do {
            url = try ServiceURL(parsing: urlText)
        } catch let error as ServiceURL.Invalid {
            throw UsageError("--url: \(error.reason)")
        }
        if url.scheme == "http" && !url.isLoopback { throw ExchangeError.insecureURL(url: url.baseString) }

        let config = try ConfigFile.load(path: context.paths.configFile)
        let previous = config.profile(named: name)
        var profile = previous ?? Profile(name: name, url: url, clientName: clientName, store: nil)
        profile.url = url
        profile.clientName = clientName
        if previous == nil {
            profile.isDefault = !config.profiles.contains { $0.url.scheme == url.scheme && $0.url.hostname == url.hostname && $0.url.port == url.port }
        }

        let credentials = invocation.flag("stdin")
            ? try CredentialsInput.fromStandardInput(context.input)
            : try CredentialsInput.fromTerminal(mayPrompt: context.mayPrompt)
        let stores = StoreSelection(context: context.storeContext)
        let store = try stores.chooseForLogin(invocation.value("store"))
        profile.store = store.kind

        // Verify before storing anything: rejected credentials must leave every file as it was.
        var verified: IssuedToken?
        if !invocation.flag("no-verify") {
            verified = try TokenExchange(environment: context.environment, log: context.log).exchange(profile: profile, credentials: credentials)
        }
        try store.write(credentials, for: profile)
        try ConfigEditor.save(profile, path: context.paths.configFile)

        let cache = TokenCache(paths: context.paths)
        if let previous { try? cache.remove(for: previous) }
        if let verified {
            let now = Clock.unixSeconds()
            try? cache.write(CachedToken(
                profile: profile.name, url: profile.url.baseString, clientName: profile.clientName,
                keyID: TokenCache.keyID(of: credentials.apiKey), accessToken: verified.accessToken,
                expiresAt: now + Int64(verified.expiresIn), obtainedAt: now), for: profile)
        }
        // The key moved to another store: remove the old copy only now that the new one is safe.
        if let oldKind = previous?.store, oldKind != store.kind {
            do {
                try stores.store(oldKind).remove(profile: profile)
            } catch {
                context.log.notice("the old copy in the \(oldKind.rawValue) store could not be removed: \((error as? UserFacingError)?.message ?? "\(error)")")
            }
        }
        let host = url.baseString
        context.log.notice("""
            profile '\(name)' saved (\(store.kind.rawValue) store\(verified == nil ? ", not verified" : ", verified")).
            To use it from git: git config --global credential.\(host).helper synofin
            """)
        return .success
    }
}
