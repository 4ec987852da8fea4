/// What `status` and `doctor` say about the Secret Service, found without prompting or unlocking.
public enum SecretServiceState: Equatable, Sendable {
    case ready
    /// The default collection is locked; `promptPossible`: a person here could unlock it when asked.
    case locked(promptPossible: Bool)
    /// Why it cannot serve, as a sentence that names the fix.
    case unavailable(reason: String)

    /// Why the store cannot serve in this state; nil when it can (a lock a person here can open counts).
    public var unavailableReason: String? {
        switch self {
        case .ready, .locked(promptPossible: true): return nil
        case .locked(promptPossible: false): return SecretServiceError.locked(promptPossible: false).message
        case .unavailable(let reason): return reason
        }
    }
}

/// The freedesktop Secret Service store (GNOME Keyring, KeePassXC, KWallet's bridge), reached
/// through libsecret loaded at run time: nothing is loaded until a call needs it.
///
/// Every call first checks the default collection (libsecret reports a locked collection as a
/// silent "not found"), never asks to unlock unless a person can answer, and is bounded in time.
public final class SecretServiceStore: CredentialStore {
    public let kind = StoreKind.secretService
    let context: StoreContext
    let limits: SecretServiceLimits

    public convenience init(context: StoreContext) {
        self.init(context: context, limits: SecretServiceLimits())
    }

    init(context: StoreContext, limits: SecretServiceLimits) {
        self.context = context
        self.limits = limits
    }

    /// An unlock prompt may be shown only to a person at a desktop who may be asked things.
    var promptPossible: Bool {
        context.mayPrompt && (context.environment["DISPLAY"] != nil || context.environment["WAYLAND_DISPLAY"] != nil)
    }

    // MARK: status

    public func unavailableReason() -> String? {
        state().unavailableReason
    }

    /// Reaches the Secret Service and looks at its default collection; never prompts or unlocks.
    public func state() -> SecretServiceState {
        do {
            let connection = try connect()
            switch connection.defaultCollection {
            case .unlocked: return .ready
            case .locked: return .locked(promptPossible: promptPossible)
            case .missing: return .unavailable(reason: SecretServiceError.noDefaultCollection.message)
            }
        } catch {
            return .unavailable(reason: (error as? UserFacingError)?.message ?? "\(error)")
        }
    }

    /// Whether the default collection is locked; nil when the Secret Service cannot be reached.
    public var isLocked: Bool? {
        switch state() {
        case .ready: return false
        case .locked: return true
        case .unavailable: return nil
        }
    }

    // MARK: the key and secret

    public func read(profile: Profile) throws -> APICredentials {
        let item = SecretServiceItem(profile: profile)
        let connection = try connectUnlocked()
        let limit = limits.read(promptPossible: promptPossible)
        let found = try translating(limit) {
            try connection.lookup(schema: SecretServiceItem.schema, attributes: item.lookupAttributes, limit: limit)
        }
        guard let payload = found else { throw StoreError.notFound(profile: profile.name, store: kind) }
        guard let credentials = SecretServicePayload.decode(payload) else {
            throw SecretServiceError.damagedItem(profile: profile.name)
        }
        context.log.debug("read the key and secret of '\(profile.name)' from the Secret Service")
        return credentials
    }

    public func write(_ credentials: APICredentials, for profile: Profile) throws {
        let item = SecretServiceItem(profile: profile)
        let payload = try SecretServicePayload.encode(credentials)
        let connection = try connectUnlocked()
        let limit = limits.change(promptPossible: promptPossible)
        try translating(limit) {
            try connection.store(
                schema: SecretServiceItem.schema, attributes: item.attributes, replacing: item.lookupAttributes,
                label: item.label, secret: payload, contentType: SecretServiceItem.contentType, limit: limit)
        }
        context.log.debug("stored the key and secret of '\(profile.name)' in the Secret Service")
    }

    public func remove(profile: Profile) throws {
        let item = SecretServiceItem(profile: profile)
        // With no default collection there is nothing to unlock, but items may live elsewhere.
        let connection = try connectUnlocked(allowMissingCollection: true)
        let limit = limits.change(promptPossible: promptPossible)
        try translating(limit) {
            try connection.clear(schema: SecretServiceItem.schema, attributes: item.lookupAttributes, limit: limit)
        }
        context.log.debug("removed the key and secret of '\(profile.name)' from the Secret Service")
    }

    // MARK: reaching it

    private func connect() throws -> SecretServiceConnection {
        let address = try SecretServiceBus.address(in: context.environment)
        try SecretServiceConnection.loadLibrary()
        context.log.debug("Secret Service: connecting on \(address)")
        return try translating(limits.connect, busAddress: address) {
            try SecretServiceConnection(busAddress: address, limit: limits.connect)
        }
    }

    /// The preflight of every read and write: a connection whose default collection exists and is
    /// unlocked, by a prompt if a person here may answer one.
    private func connectUnlocked(allowMissingCollection: Bool = false) throws -> SecretServiceConnection {
        let connection = try connect()
        switch connection.defaultCollection {
        case .unlocked:
            break
        case .missing:
            guard allowMissingCollection else { throw SecretServiceError.noDefaultCollection }
        case .locked:
            guard promptPossible else { throw SecretServiceError.locked(promptPossible: false) }
            context.log.notice("the keyring is locked; unlock it in the prompt on your screen")
            try translating(limits.unlock) { try connection.unlockDefaultCollection(limit: limits.unlock) }
        }
        return connection
    }

    /// Puts a libsecret failure into words for a person.
    private func translating<R>(
        _ limit: SecretServiceCallLimit, busAddress: String? = nil, _ body: () throws -> R
    ) throws -> R {
        do {
            return try body()
        } catch let failure as LibSecretFailure {
            context.log.debug("Secret Service: \(failure.detail)")
            switch failure.kind {
            case .noBus: throw SecretServiceError.busUnreachable(address: busAddress ?? "?", detail: failure.detail)
            case .noService: throw SecretServiceError.noService(detail: failure.detail)
            case .noDefaultCollection: throw SecretServiceError.noDefaultCollection
            case .locked: throw SecretServiceError.locked(promptPossible: promptPossible)
            case .dismissed: throw SecretServiceError.promptDismissed
            case .timedOut: throw SecretServiceError.timedOut(seconds: limit.seconds)
            case .failed: throw SecretServiceError.failed(detail: failure.detail)
            }
        }
    }
}
