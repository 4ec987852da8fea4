import CSecret
import Glibc

/// A failure as libsecret reported it, before the store puts it in words for a person.
struct LibSecretFailure: Error {
    enum Kind {
        case noBus, noService, noDefaultCollection, locked, dismissed, timedOut, failed
    }

    let kind: Kind
    /// libsecret's or D-Bus's own words: for `-v`, and for failures no kind covers.
    let detail: String
}

/// How long one call may take, and whether it may be cancelled at the end (it may not while an
/// unlock prompt can be pending: cancelling one hangs libsecret 0.20.5; the watchdog then ends the
/// process instead, with `hangMessage` on stderr and exit status 4).
struct SecretServiceCallLimit {
    let seconds: Double
    let mayCancel: Bool
    let hangMessage: String
}

/// One connection to the Secret Service through libsecret (loaded at run time by CSecret): the
/// only Swift that touches C pointers for it. Every call is bounded by its `SecretServiceCallLimit`.
final class SecretServiceConnection {
    enum CollectionState {
        case missing, locked, unlocked
    }

    private let handle: OpaquePointer

    /// Loads libsecret (once per process), or says why it cannot be loaded.
    static func loadLibrary() throws {
        var reason = [CChar](repeating: 0, count: 512)
        guard csecret_load(&reason, reason.count) != 0 else { return }
        throw SecretServiceError.libraryMissing(detail: String(cString: reason))
    }

    /// Connects to the bus at `address` (never autolaunching one), reaches the Secret Service and
    /// looks at its default collection. Call `loadLibrary` first.
    init(busAddress: String, limit: SecretServiceCallLimit) throws {
        var result = csecret_result()
        guard let handle = csecret_connect(busAddress, limit.seconds, limit.hangMessage, &result) else {
            throw Self.failure(result)
        }
        self.handle = handle
    }

    deinit {
        csecret_disconnect(handle)
    }

    /// The default collection as found when connecting (or after `unlockDefaultCollection`).
    var defaultCollection: CollectionState {
        switch csecret_default_collection_state(handle) {
        case CSECRET_COLLECTION_LOCKED: return .locked
        case CSECRET_COLLECTION_UNLOCKED: return .unlocked
        default: return .missing
        }
    }

    /// Shows the daemon's unlock prompt and waits for the person; never cancelled.
    func unlockDefaultCollection(limit: SecretServiceCallLimit) throws {
        var result = csecret_result()
        try check(csecret_unlock(handle, limit.seconds, limit.hangMessage, &result), result)
    }

    /// The secret of the item matching `attributes`, or nil when no item matches. Never unlocks:
    /// a matching locked item, or a locked default collection, throws `.locked`.
    func lookup(schema: String, attributes: [(String, String)], limit: SecretServiceCallLimit) throws -> SecretBytes? {
        var result = csecret_result()
        var secret: OpaquePointer?
        let status = Self.withAttributeList(attributes) { list in
            csecret_lookup(handle, schema, list, limit.seconds, limit.mayCancel ? 1 : 0, limit.hangMessage, &secret, &result)
        }
        defer { csecret_secret_free(secret) }
        if status == CSECRET_NOT_FOUND { return nil }
        try check(status, result)
        guard let secret else { throw LibSecretFailure(kind: .failed, detail: "no secret was returned") }
        var length = 0
        guard let bytes = csecret_secret_bytes(secret, &length) else { return SecretBytes(count: 0) }
        return SecretBytes(UnsafeBufferPointer(start: bytes, count: length))
    }

    /// Writes one item to the default collection, then removes any other item that matches
    /// `replacing`: the new one exists before an old one goes.
    func store(
        schema: String, attributes: [(String, String)], replacing: [(String, String)], label: String,
        secret: SecretBytes, contentType: String, limit: SecretServiceCallLimit
    ) throws {
        var result = csecret_result()
        let status = Self.withAttributeList(attributes) { list in
            Self.withAttributeList(replacing) { matchList in
                secret.withUnsafeBytes { bytes in
                    csecret_store(handle, schema, list, matchList, label, bytes.baseAddress, bytes.count, contentType,
                                  limit.seconds, limit.mayCancel ? 1 : 0, limit.hangMessage, &result)
                }
            }
        }
        try check(status, result)
    }

    /// Deletes every matching item; nothing to delete is no error. Deletes nothing if one is locked.
    func clear(schema: String, attributes: [(String, String)], limit: SecretServiceCallLimit) throws {
        var result = csecret_result()
        let status = Self.withAttributeList(attributes) { list in
            csecret_clear(handle, schema, list, limit.seconds, limit.mayCancel ? 1 : 0, limit.hangMessage, &result)
        }
        try check(status, result)
    }

    private func check(_ status: csecret_status, _ result: csecret_result) throws {
        guard status != CSECRET_OK else { return }
        throw Self.failure(result)
    }

    private static func failure(_ result: csecret_result) -> LibSecretFailure {
        let detail = withUnsafeBytes(of: result.detail) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let kind: LibSecretFailure.Kind
        switch result.status {
        case CSECRET_NO_BUS: kind = .noBus
        case CSECRET_NO_SERVICE: kind = .noService
        case CSECRET_NO_DEFAULT_COLLECTION: kind = .noDefaultCollection
        case CSECRET_LOCKED: kind = .locked
        case CSECRET_DISMISSED: kind = .dismissed
        case CSECRET_TIMED_OUT: kind = .timedOut
        default: kind = .failed
        }
        return LibSecretFailure(kind: kind, detail: detail)
    }

    /// Attributes as the NULL-terminated `name, value, ...` list CSecret takes.
    private static func withAttributeList<R>(
        _ attributes: [(String, String)], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R
    ) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = attributes.flatMap { [strdup($0.0), strdup($0.1)] }
        defer { copies.forEach { free($0) } }
        let list: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
        return list.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
