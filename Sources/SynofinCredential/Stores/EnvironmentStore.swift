/// The `env` profile (CI, containers): the key and secret come from SYNOFIN_API_KEY and
/// SYNOFIN_API_SECRET, or from the files SYNOFIN_API_KEY_FILE and SYNOFIN_API_SECRET_FILE name
/// (Docker and Kubernetes secrets). Read-only: `login` cannot write here.
public final class EnvironmentStore: CredentialStore {
    public static let profileName = "env"
    public let kind = StoreKind.environment
    let environment: Environment

    public init(environment: Environment) {
        self.environment = environment
    }

    /// True when any key or secret variable is set, i.e. the user means to use the env profile.
    public static func isRequested(in environment: Environment) -> Bool {
        ["SYNOFIN_API_KEY", "SYNOFIN_API_KEY_FILE", "SYNOFIN_API_SECRET", "SYNOFIN_API_SECRET_FILE"]
            .contains { environment[$0] != nil }
    }

    /// The `env` profile, when requested; a clear error when it is half set.
    public static func profile(in environment: Environment) throws -> Profile? {
        guard isRequested(in: environment) else { return nil }
        var missing: [String] = []
        if environment["SYNOFIN_API_KEY"] == nil && environment["SYNOFIN_API_KEY_FILE"] == nil { missing.append("SYNOFIN_API_KEY") }
        if environment["SYNOFIN_API_SECRET"] == nil && environment["SYNOFIN_API_SECRET_FILE"] == nil { missing.append("SYNOFIN_API_SECRET") }
        if environment["SYNOFIN_API_URL"] == nil { missing.append("SYNOFIN_API_URL") }
        if environment["SYNOFIN_CLIENT_NAME"] == nil { missing.append("SYNOFIN_CLIENT_NAME") }
        guard missing.isEmpty else {
            throw UsageError("the env profile needs \(missing.joined(separator: ", ")) as well; set them or unset the other SYNOFIN_API_* variables")
        }
        let url: ServiceURL
        do {
            url = try ServiceURL(parsing: environment["SYNOFIN_API_URL"]!)
        } catch let error as ServiceURL.Invalid {
            throw UsageError("SYNOFIN_API_URL: \(error.reason)")
        }
        return Profile(name: profileName, url: url, clientName: environment["SYNOFIN_CLIENT_NAME"]!,
                       store: .environment, isDefault: true)
    }

    public func unavailableReason() -> String? {
        Self.isRequested(in: environment) ? nil : "SYNOFIN_API_KEY and SYNOFIN_API_SECRET are not set"
    }

    public func read(profile: Profile) throws -> APICredentials {
        try APICredentials.validated(key: try value("SYNOFIN_API_KEY"), secret: try value("SYNOFIN_API_SECRET"))
    }

    public func write(_ credentials: APICredentials, for profile: Profile) throws {
        throw UsageError("the env profile is read-only: it comes from SYNOFIN_API_KEY and SYNOFIN_API_SECRET")
    }

    public func remove(profile: Profile) throws {
        throw UsageError("the env profile is read-only: unset SYNOFIN_API_KEY and SYNOFIN_API_SECRET instead")
    }

    /// `NAME`, else the contents of the file `NAME_FILE` without its final newline (LF or CRLF).
    private func value(_ name: String) throws -> SecretBytes {
        if let text = environment[name] { return SecretBytes(Array(text.utf8)) }
        guard let path = environment[name + "_FILE"] else { throw StoreError.notFound(profile: Self.profileName, store: kind) }
        guard var bytes = try FileSystem.read(path, limit: 64 << 10) else {
            throw UsageError("\(name)_FILE names \(path), which does not exist")
        }
        defer { Sodium.wipe(&bytes) }
        // One final newline goes (`echo key > file` adds it), as for the vault's passphrase files.
        var end = bytes.count
        if end > 0 && bytes[end - 1] == 10 { end -= 1 }
        if end > 0 && bytes[end - 1] == 13 { end -= 1 }
        guard end > 0 else { throw UsageError("\(name)_FILE names \(path), which is empty") }
        return SecretBytes(bytes[0..<end])
    }
}
