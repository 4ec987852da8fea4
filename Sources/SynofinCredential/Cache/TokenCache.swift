import CSodium
import FoundationEssentials
import Glibc

/// One cached token. It never holds the API key or secret: `keyID` is a hash of the key alone,
/// so a token is never served for a different key than the one that obtained it.
public struct CachedToken: Codable, Equatable, Sendable {
    public var version = 1
    public let profile: String
    public let url: String
    public let clientName: String
    public let keyID: String
    public let accessToken: String
    /// Unix seconds.
    public let expiresAt: Int64
    public let obtainedAt: Int64

    enum CodingKeys: String, CodingKey {
        case version, profile, url
        case clientName = "client_name"
        case keyID = "key_id"
        case accessToken = "access_token"
        case expiresAt = "expires_at"
        case obtainedAt = "obtained_at"
    }

    public func state(now: Int64) -> TokenLifetime.State {
        TokenLifetime.state(expiresAt: expiresAt, now: now)
    }
}

/// The token cache directory (SPEC: `$XDG_RUNTIME_DIR/synofin-credential/`, else the cache dir;
/// 0700, files 0600). One JSON file and one lock file per profile entry.
public struct TokenCache: Sendable {
    public let directory: String

    public init(paths: Paths) {
        directory = paths.cacheDirectory
    }

    /// The file stem for a profile: a hash of what identifies its account, so renaming a profile
    /// or pointing it at another URL or client never meets an old token.
    public static func entryName(for profile: Profile) -> String {
        let identity = ["synofin-credential token v1", profile.url.baseString, profile.clientName, profile.name]
        return String(Sodium.sha256Hex(Array(identity.joined(separator: "\u{0}").utf8)).prefix(32))
    }

    /// A hash of the API key alone (never the secret), short enough to be no use for guessing.
    public static func keyID(of apiKey: SecretBytes) -> String {
        Sodium.ensureInitialised()
        var state = crypto_hash_sha256_state()
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        let domain = Array("synofin-credential key-id v1\u{0}".utf8)
        crypto_hash_sha256_init(&state)
        crypto_hash_sha256_update(&state, domain, UInt64(domain.count))
        apiKey.withUnsafeBytes { key in
            _ = crypto_hash_sha256_update(&state, key.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(key.count))
        }
        crypto_hash_sha256_final(&state, &digest)
        return digest.prefix(8).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    func path(for profile: Profile) -> String { "\(directory)/\(Self.entryName(for: profile)).json" }
    func lockPath(for profile: Profile) -> String { "\(directory)/\(Self.entryName(for: profile)).lock" }

    /// The cached token for `profile`, or nil when there is none or it does not belong to it.
    /// A file we cannot trust (unreadable, corrupt, not ours) reads as no token.
    public func read(for profile: Profile) -> CachedToken? {
        let path = path(for: profile)
        var info = stat()
        guard stat(path, &info) == 0, info.st_uid == getuid(), info.st_mode & 0o077 == 0,
              let bytes = try? FileSystem.read(path, limit: 1 << 20),
              let token = try? JSONDecoder().decode(CachedToken.self, from: Data(bytes)),
              token.version == 1, token.profile == profile.name, token.url == profile.url.baseString,
              token.clientName == profile.clientName
        else { return nil }
        return token
    }

    public func write(_ token: CachedToken, for profile: Profile) throws {
        try FileSystem.makePrivateDirectory(directory)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileSystem.writeAtomically(path(for: profile), bytes: Array(try encoder.encode(token)), mode: 0o600)
    }

    public func remove(for profile: Profile) throws {
        try FileSystem.remove(path(for: profile))
    }

    /// Deletes every token file in the cache directory (lock files stay: a process may hold one).
    public func removeAll() throws {
        for name in FileSystem.entries(of: directory) where name.hasSuffix(".json") {
            try FileSystem.remove(directory + "/" + name)
        }
    }

    /// Takes the per-profile exchange lock: one exchange per profile at a time, across processes.
    func lock(for profile: Profile, timeout: Double) throws -> FileLock {
        try FileSystem.makePrivateDirectory(directory)
        return try FileLock(path: lockPath(for: profile), timeout: timeout)
    }
}
