import Glibc

extension Commands {
    static let doctor = CommandSpec(
        name: "doctor",
        summary: "check stores, files and (with --network) the token endpoints",
        help: """
            usage: synofin-credential doctor [--network]

            Says which secret stores can serve here and, for those that cannot, why and how to
            fix it; checks the config file, the cache directory and their permissions; checks
            that libcurl can be loaded; and lists the profiles. Never unlocks a store and never
            prints a secret.
              --network  also reach each profile's token endpoint (without credentials: an
                         HTTP 401 answer proves the URL, TLS and proxy settings work)

            Exits 0 when every profile can get a token here, 1 otherwise.
            """,
        options: ["network"]
    ) { context in
        var report = DoctorReport()
        let paths = context.paths
        let profiles: ProfileSet?
        do {
            profiles = try ProfileSet.load(paths: paths)
            report.ok("config", "\(paths.configFile) (\(FileSystem.exists(paths.configFile) ? "\(profiles!.config.profiles.count) profiles" : "no file yet"))")
        } catch let error as UserFacingError {
            profiles = nil
            report.problem("config", error.message)
        }
        if let mode = FileSystem.mode(of: paths.configFile), mode & 0o022 != 0 {
            report.problem("config", "\(paths.configFile) is writable by others (mode \(String(mode, radix: 8))); fix: chmod 600 \(paths.configFile)")
        }
        let cacheDirectory = TokenCache(paths: paths).directory
        if let mode = FileSystem.mode(of: cacheDirectory), mode & 0o077 != 0 {
            report.problem("cache", "\(cacheDirectory) has mode \(String(mode, radix: 8)); fix: chmod 700 \(cacheDirectory)")
        } else {
            report.ok("cache", cacheDirectory)
        }
        switch HTTPClient.libraryVersion() {
        case .success(let version): report.ok("libcurl", version)
        case .failure(let error): report.problem("libcurl", "\(error)")
        }
        let stores = StoreSelection(context: context.storeContext)
        // Each store is looked at once; the profiles below reuse what was found.
        var health: [StoreKind: StoreHealth] = [:]
        for kind in StoreKind.allCases {
            let store = stores.store(kind)
            let found = stores.health(of: store)
            health[kind] = found
            if let reason = found.problem {
                report.note("store \(kind.rawValue)", "not usable: \(reason)")
            } else if let vault = store as? VaultStore, let source = vault.keySourceDescription() {
                report.ok("store \(kind.rawValue)", "usable: \(vault.path) \(vault.exists ? "unlocks" : "will be created") with \(source)")
            } else if found.isLocked {
                report.ok("store \(kind.rawValue)", "usable (locked: you will be asked to unlock it)")
            } else {
                report.ok("store \(kind.rawValue)", "usable")
            }
        }
        for profile in profiles?.all ?? [] {
            let label = "profile \(profile.name)"
            do {
                let store = try stores.store(for: profile)
                if let reason = health[store.kind]?.problem {
                    report.problem(label, "its \(store.kind.rawValue) store cannot serve here: \(reason)")
                } else {
                    report.ok(label, "\(profile.url.baseString), client \(profile.clientName), \(store.kind.rawValue) store")
                }
            } catch let error as UserFacingError {
                report.problem(label, error.message)
            }
            if context.invocation.flag("network") {
                report.add(label + " endpoint", EndpointProbe.check(profile, environment: context.environment))
            }
        }
        StandardStream.output.write(report.text)
        return report.hasProblems ? .failure : .success
    }
}

/// The lines `doctor` prints: `ok`, `--` (informational) or `!!` (needs fixing).
struct DoctorReport {
    private var lines: [String] = []
    private(set) var hasProblems = false

    mutating func ok(_ subject: String, _ detail: String) { lines.append("ok  \(subject): \(detail)") }
    mutating func note(_ subject: String, _ detail: String) { lines.append("--  \(subject): \(detail)") }
    mutating func problem(_ subject: String, _ detail: String) {
        hasProblems = true
        lines.append("!!  \(subject): \(detail)")
    }
    mutating func add(_ subject: String, _ result: Result<String, ExchangeError>) {
        switch result {
        case .success(let detail): ok(subject, detail)
        case .failure(let error): problem(subject, error.message)
        }
    }

    var text: String { lines.map { $0 + "\n" }.joined() }
}

/// `doctor --network`: one request without credentials; any HTTP answer proves the path works.
enum EndpointProbe {
    static func check(_ profile: Profile, environment: Environment) -> Result<String, ExchangeError> {
        let endpoint = profile.tokenEndpoint
        do {
            if profile.url.scheme == "http" && !profile.url.isLoopback { throw ExchangeError.insecureURL(url: endpoint) }
            let request = HTTPRequest(
                url: endpoint, headers: TokenExchange.headers(for: profile),
                credentials: nil,
                caFile: try TokenExchange(environment: environment, log: Log(verbose: false)).trustedCAFile(profile),
                caDirectory: environment["SSL_CERT_DIR"], connectTimeout: TokenExchange.connectTimeout,
                totalTimeout: Double(profile.timeoutSeconds), isLoopbackHTTP: profile.url.scheme == "http",
                maximumBodyBytes: TokenExchange.maximumBodyBytes)
            let response = try HTTPClient.post(request)
            return .success("\(endpoint) answered HTTP \(response.status) without credentials (reachable)")
        } catch let error as ExchangeError {
            return .failure(error)
        } catch let error as UserFacingError {
            return .failure(.badConfiguration(error.message))
        } catch {
            return .failure(TokenExchange.map(error, endpoint: endpoint, tries: 1))
        }
    }
}
