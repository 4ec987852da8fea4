/// The age-encrypted file store (issue: the encrypted-file store). Placeholder until built.
public final class VaultStore: CredentialStore {
    public let kind = StoreKind.file
    let context: StoreContext

    public init(context: StoreContext) {
        self.context = context
    }

    public func unavailableReason() -> String? { "the encrypted-file store is not built yet" }

    public func read(profile: Profile) throws -> APICredentials {
        throw StoreError.unavailable(store: kind, reason: "not built yet")
    }

    public func write(_ credentials: APICredentials, for profile: Profile) throws {
        throw StoreError.unavailable(store: kind, reason: "not built yet")
    }

    public func remove(profile: Profile) throws {}
}
