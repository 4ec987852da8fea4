import Foundation
import Testing
@testable import SynofinCredential

/// A private HOME and XDG tree for one vault test, with helpers to make stores, identities and
/// credentials inside it. Passphrase vaults use scrypt work factor 10 in-process (the format and
/// the limits are tested at 18 elsewhere), so each store test stays well under a second.
final class VaultFixture {
    let directory: TemporaryDirectory
    var environment: [String: String]

    init(extra: [String: String] = [:]) throws {
        directory = try TemporaryDirectory()
        environment = isolatedEnvironment(in: directory, extra: extra)
    }

    var vaultPath: String { directory.file("data") + "/synofin-credential/vault.age" }
    var defaultIdentityPath: String { directory.file("config") + "/synofin-credential/identity.txt" }

    func store(_ extra: [String: String] = [:], mayPrompt: Bool = false) -> VaultStore {
        let environment = Environment(self.environment.merging(extra) { _, new in new })
        let store = VaultStore(context: StoreContext(environment: environment, paths: Paths(environment: environment),
                                                     mayPrompt: mayPrompt, log: Log(verbose: false)))
        store.scryptWorkFactor = 10
        return store
    }

    /// Writes a new identity file at `path` (default: where the helper looks first by default).
    @discardableResult
    func makeIdentity(at path: String? = nil, mode: Int = 0o600) throws -> X25519Identity {
        let path = path ?? defaultIdentityPath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let identity = X25519Identity.generate()
        try write(IdentityFile.contents(of: identity, createdAt: 0).withUnsafeBytes { Array($0) }, to: path, mode: mode)
        return identity
    }

    func write(_ bytes: [UInt8], to path: String, mode: Int = 0o600) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: mode]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        chmod(path, mode_t(mode))
    }

    func write(_ text: String, to path: String, mode: Int = 0o600) throws {
        try write(Array(text.utf8), to: path, mode: mode)
    }

    func vaultBytes() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: vaultPath)))
    }

    /// What the vault holds, opened the way `age -d` would, outside the store.
    func contents(identities: [AgeIdentity]) throws -> VaultContents {
        try VaultContents.parse(try AgeFile.decrypt(try vaultBytes(), identities: identities))
    }

    static func credentials(_ key: String, _ secret: String) -> APICredentials {
        APICredentials(apiKey: SecretBytes(Array(key.utf8)), apiSecret: SecretBytes(Array(secret.utf8)))
    }

    static func profile(_ name: String) -> Profile {
        Profile(name: name, url: try! ServiceURL(parsing: "https://api.example.com"), clientName: "acme", store: .file)
    }

    static func text(_ bytes: SecretBytes) -> String {
        bytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    static func mode(of path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? nil
    }

    /// The thrown error as a person sees it: exit code and message.
    static func failure(_ body: () throws -> Void) -> (code: ExitCode, message: String)? {
        do {
            try body()
            return nil
        } catch let error as UserFacingError {
            return (error.exitCode, error.message)
        } catch {
            return (.failure, "\(error)")
        }
    }
}
