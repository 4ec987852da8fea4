/// Where a profile's API key and secret live. One store per file in this folder; which one serves
/// a profile is decided in `StoreSelection.swift` alone.
public enum StoreKind: String, CaseIterable, Sendable {
    case secretService = "secret-service"
    case file
    /// The `env` profile: SYNOFIN_API_KEY and friends. Read-only.
    case environment = "env"
}

/// An API key and secret, wiped when the last reference goes.
public struct APICredentials: Sendable {
    public let apiKey: SecretBytes
    public let apiSecret: SecretBytes

    public init(apiKey: SecretBytes, apiSecret: SecretBytes) {
        self.apiKey = apiKey
        self.apiSecret = apiSecret
    }

    /// The key goes into a Basic-auth user name, so it may not hold ':'; neither may hold controls.
    public static func validated(key: SecretBytes, secret: SecretBytes) throws -> APICredentials {
        try key.withUnsafeBytes { bytes in
            guard !bytes.isEmpty else { throw UsageError("the API key is empty") }
            guard !bytes.contains(UInt8(ascii: ":")) else { throw UsageError("the API key contains ':', which Basic authentication cannot carry") }
            guard !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { throw UsageError("the API key contains control characters") }
        }
        try secret.withUnsafeBytes { bytes in
            guard !bytes.isEmpty else { throw UsageError("the API secret is empty") }
            guard !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { throw UsageError("the API secret contains control characters") }
        }
        return APICredentials(apiKey: key, apiSecret: secret)
    }
}

/// The one interface every store implements. Implementations must never hang (every call to a
/// daemon has a deadline), never prompt unless `StoreContext.mayPrompt`, and throw a
/// `UserFacingError` whose message names the cause and the fix (exit 4 when the store cannot
/// serve here).
public protocol CredentialStore: AnyObject {
    var kind: StoreKind { get }

    /// Why this store cannot serve on this machine right now, or nil when it can. Cheap, and
    /// never prompts, unlocks or writes: `doctor`, `status` and `--store auto` call it.
    func unavailableReason() -> String?

    /// The key and secret of `profile`; throws `StoreError.notFound` when there are none.
    func read(profile: Profile) throws -> APICredentials

    /// Stores (or replaces) the key and secret of `profile`, atomically.
    func write(_ credentials: APICredentials, for profile: Profile) throws

    /// Removes the key and secret of `profile`; no error when there were none.
    func remove(profile: Profile) throws
}

/// What every store needs to know about this run.
public struct StoreContext: Sendable {
    public let environment: Environment
    public let paths: Paths
    /// False with `--non-interactive`, SYNOFIN_CREDENTIAL_NONINTERACTIVE=1, GIT_TERMINAL_PROMPT=0
    /// or no /dev/tty: then nothing may wait for a person.
    public let mayPrompt: Bool
    public let log: Log

    public init(environment: Environment, paths: Paths, mayPrompt: Bool, log: Log) {
        self.environment = environment
        self.paths = paths
        self.mayPrompt = mayPrompt
        self.log = log
    }
}

/// Errors shared by every store.
public enum StoreError: UserFacingError {
    case notFound(profile: String, store: StoreKind)
    case unavailable(store: StoreKind, reason: String)

    public var exitCode: ExitCode { .storeUnavailable }

    public var message: String {
        switch self {
        case .notFound(let profile, let store):
            return "no API key and secret for profile '\(profile)' in the \(store.rawValue) store; run: synofin-credential login --profile \(profile) ..."
        case .unavailable(let store, let reason):
            return "the \(store.rawValue) store cannot be used here: \(reason)"
        }
    }
}
