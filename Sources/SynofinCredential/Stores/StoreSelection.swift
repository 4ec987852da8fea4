/// The one place that decides which store serves a profile, and says why (for `-v`, `doctor`,
/// and `login --store auto`).
public struct StoreSelection {
    let context: StoreContext

    public init(context: StoreContext) {
        self.context = context
    }

    /// SYNOFIN_CREDENTIAL_STORE, when set, wins over every profile's `store`.
    public func forcedKind() throws -> StoreKind? {
        guard let name = context.environment["SYNOFIN_CREDENTIAL_STORE"] else { return nil }
        guard let kind = StoreKind(rawValue: name), kind != .environment else {
            throw UsageError("SYNOFIN_CREDENTIAL_STORE must be secret-service or file, not '\(name)'")
        }
        return kind
    }

    public func store(_ kind: StoreKind) -> CredentialStore {
        switch kind {
        case .secretService: return SecretServiceStore(context: context)
        case .file: return VaultStore(context: context)
        case .environment: return EnvironmentStore(environment: context.environment)
        }
    }

    /// The store holding `profile`'s key and secret.
    public func store(for profile: Profile) throws -> CredentialStore {
        if profile.store == .environment { return store(.environment) }
        if let forced = try forcedKind() {
            context.log.debug("store for '\(profile.name)': \(forced.rawValue) (SYNOFIN_CREDENTIAL_STORE)")
            return store(forced)
        }
        guard let kind = profile.store else {
            throw UsageError("profile '\(profile.name)' names no store; run: synofin-credential login --profile \(profile.name) ...")
        }
        context.log.debug("store for '\(profile.name)': \(kind.rawValue) (config)")
        return store(kind)
    }

    /// Reads the key and secret of `profile`. When the Secret Service cannot serve here (no
    /// session bus over SSH, a locked keyring in a cron job) and the vault can, the vault is
    /// tried, with a notice, so a profile kept in both keeps working headless.
    public func read(_ profile: Profile) throws -> APICredentials {
        let primary = try store(for: profile)
        do {
            return try primary.read(profile: profile)
        } catch let error as UserFacingError where primary.kind == .secretService && error.exitCode == .storeUnavailable {
            let vault = store(.file)
            guard (vault as? VaultStore)?.exists == true, vault.unavailableReason() == nil,
                  let credentials = try? vault.read(profile: profile)
            else { throw error }
            context.log.notice("the Secret Service cannot serve here (\(error.message)); using the encrypted vault instead")
            return credentials
        }
    }

    /// Whether `store` can serve here and whether its keyring is locked, found with one look
    /// (one D-Bus round trip for the Secret Service), for `status` and `doctor`. Never unlocks.
    public func health(of store: CredentialStore) -> StoreHealth {
        guard let secretService = store as? SecretServiceStore else {
            return StoreHealth(problem: store.unavailableReason(), isLocked: false)
        }
        let state = secretService.state()
        if case .locked = state { return StoreHealth(problem: state.unavailableReason, isLocked: true) }
        return StoreHealth(problem: state.unavailableReason, isLocked: false)
    }

    /// `login --store auto`: the Secret Service when it answers and is unlocked (or a person here
    /// can unlock it), else the vault. Says which and why on stderr.
    public func chooseForLogin(_ requested: String?) throws -> CredentialStore {
        if let requested, requested != "auto" {
            guard let kind = StoreKind(rawValue: requested), kind != .environment else {
                throw UsageError("--store must be auto, secret-service or file, not '\(requested)'")
            }
            return store(kind)
        }
        if let forced = try forcedKind() {
            context.log.notice("storing in the \(forced.rawValue) store (SYNOFIN_CREDENTIAL_STORE)")
            return store(forced)
        }
        let secretService = store(.secretService)
        guard let reason = secretService.unavailableReason() else {
            context.log.notice("storing the key and secret in the Secret Service")
            return secretService
        }
        let vault = store(.file)
        if let vaultReason = vault.unavailableReason() {
            throw StoreError.unavailable(store: .file, reason: "no store can be used here: the Secret Service: \(reason); the encrypted vault: \(vaultReason)")
        }
        context.log.notice("storing the key and secret in the encrypted vault, because the Secret Service cannot be used: \(reason)")
        return vault
    }
}

/// A store's fitness here, as `StoreSelection.health` finds it.
public struct StoreHealth: Equatable, Sendable {
    /// Why it cannot serve (cause and fix), or nil when it can.
    public let problem: String?
    /// A locked keyring; with no `problem`, a person here will be asked to unlock it.
    public let isLocked: Bool
}
