/// The freedesktop Secret Service store (issue: the Secret Service store). Placeholder until built.
public final class SecretServiceStore: CredentialStore {
    public let kind = StoreKind.secretService
    let context: StoreContext

    public init(context: StoreContext) {
        self.context = context
    }

    public func unavailableReason() -> String? { "the Secret Service store is not built yet" }

    public func read(profile: Profile) throws -> APICredentials {
        throw StoreError.unavailable(store: kind, reason: "not built yet")
    }

    public func write(_ credentials: APICredentials, for profile: Profile) throws {
        throw StoreError.unavailable(store: kind, reason: "not built yet")
    }

    public func remove(profile: Profile) throws {}
}
