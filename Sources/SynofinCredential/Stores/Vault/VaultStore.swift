import Glibc

/// The encrypted-file store: one age v1 file (https://c2sp.org/age) holding every file-stored
/// profile's API key and secret, for machines with no Secret Service (servers, containers, SSH
/// sessions). `age -d -i identity.txt vault.age` opens it, so users can audit it with standard
/// tools.
///
/// Every save re-encrypts the whole vault with a fresh file key, under a lock, by atomic
/// replacement: concurrent writers never lose each other's profiles, and a crash leaves the old
/// vault or the new one. A vault that fails to open is never written.
public final class VaultStore: CredentialStore {
    public let kind = StoreKind.file
    let context: StoreContext
    /// The scrypt work factor of passphrase saves: age's 18, lowered only by tests.
    var scryptWorkFactor = ScryptStanza.defaultWorkFactor
    /// How long a save waits for another process's save.
    var lockTimeout: Double = 60
    /// The key that opened the vault in this process, reused so that a person is asked once.
    private var key: VaultKey?

    public static let pathVariable = "SYNOFIN_CREDENTIAL_VAULT"
    static let sizeLimit = 16 << 20

    public init(context: StoreContext) {
        self.context = context
    }

    /// `$SYNOFIN_CREDENTIAL_VAULT`, else `$XDG_DATA_HOME/synofin-credential/vault.age`.
    public var path: String {
        context.environment[Self.pathVariable] ?? context.paths.dataDirectory + "/vault.age"
    }

    /// Taken by every save; the vault is re-read after taking it.
    var lockPath: String { path + ".lock" }

    var sources: VaultKeySources {
        VaultKeySources(environment: context.environment, paths: context.paths, mayPrompt: context.mayPrompt)
    }

    public var exists: Bool { FileSystem.exists(path) }

    // MARK: CredentialStore

    public func unavailableReason() -> String? {
        do {
            _ = try plannedKeySource()
            return nil
        } catch {
            return (error as? UserFacingError)?.message ?? "\(error)"
        }
    }

    /// For `doctor` and `-v`: what would open the vault (or create it), e.g. "the identity in
    /// $SYNOFIN_CREDENTIAL_IDENTITY (/etc/app/key.txt)"; nil when nothing would. Never prompts.
    public func keySourceDescription() -> String? {
        (try? plannedKeySource())?.description
    }

    /// The source the next open (or the first save) would use, with every check that needs no
    /// key: the vault's and the identity file's modes, the vault's header, variables that name
    /// missing files.
    private func plannedKeySource() throws -> VaultKeySource {
        let source: VaultKeySource
        if let file = try readVault() {
            source = try keySource(for: file)
        } else {
            guard let found = try sources.identity() ?? sources.passphrase() else { throw VaultError.noKeyForNewVault(vault: path) }
            source = found
        }
        switch source {
        case .identityFile(let file, _): try VaultPrivateFile.checkMode(of: file, what: "the identity file")
        case .passphraseFile(let file, _): try VaultPrivateFile.checkMode(of: file, what: "the passphrase file")
        default: break
        }
        return source
    }

    public func read(profile: Profile) throws -> APICredentials {
        guard let file = try readVault() else { throw StoreError.notFound(profile: profile.name, store: kind) }
        let contents = try open(file, with: try existingKey(for: file))
        guard let credentials = contents.profiles[profile.name] else { throw StoreError.notFound(profile: profile.name, store: kind) }
        context.log.debug("read the key and secret of '\(profile.name)' from \(path)")
        return credentials
    }

    public func write(_ credentials: APICredentials, for profile: Profile) throws {
        try update { contents in
            contents.profiles[profile.name] = credentials
            return true
        }
        context.log.debug("stored the key and secret of '\(profile.name)' in \(path)")
    }

    /// Removing the last profile leaves an empty vault, not no vault: it keeps the identity or
    /// passphrase it was made with for the next login.
    public func remove(profile: Profile) throws {
        guard exists else { return }
        try update { contents in
            contents.profiles.removeValue(forKey: profile.name) != nil
        }
    }

    // MARK: vault passwd

    /// Opens the vault now (asking for its passphrase if it must), so that a wrong key fails
    /// before anything else happens; later calls reuse the key. No vault: nothing to do.
    func unlock() throws {
        guard let file = try readVault() else { return }
        _ = try open(file, with: try existingKey(for: file))
    }

    /// Re-encrypts the vault (an empty one if there is none yet) to `newKey`; returns how many
    /// profiles it holds.
    @discardableResult
    func reencrypt(to newKey: VaultKey) throws -> Int {
        var count = 0
        try update(savingWith: newKey) { contents in
            count = contents.profiles.count
            return true
        }
        key = newKey
        return count
    }

    // MARK: opening and saving

    /// The vault's bytes, or nil when there is none. Refuses a vault other users can read.
    func readVault() throws -> [UInt8]? {
        try VaultPrivateFile.read(path, what: "the encrypted vault", limit: Self.sizeLimit)
    }

    /// Which source can open `file`, read from its header without any cryptography: a vault
    /// made with a passphrase needs a passphrase even where an identity file exists.
    func keySource(for file: [UInt8]) throws -> VaultKeySource {
        let types: [String]
        do {
            types = try AgeFile.stanzaTypes(of: file)
        } catch let error as AgeError {
            throw VaultError.damaged(vault: path, detail: error.detail)
        }
        if types.contains(ScryptStanza.type) {
            guard let source = try sources.passphrase() else { throw VaultError.noPassphrase(vault: path) }
            return source
        }
        guard types.contains(X25519Stanza.type) else { throw VaultError.unsupportedRecipients(vault: path, types: types) }
        guard let source = try sources.identity() else {
            throw VaultError.noIdentity(vault: path, searched: sources.identityPlaces)
        }
        return source
    }

    private func existingKey(for file: [UInt8]) throws -> VaultKey {
        if let key { return key }
        let source = try keySource(for: file)
        context.log.debug("opening \(path) with \(source.description)")
        let loaded = try VaultKey.load(source, vault: path, isNew: false, environment: context.environment, workFactor: scryptWorkFactor)
        key = loaded
        return loaded
    }

    /// The key a new vault is made with: an identity when there is one, else a passphrase.
    private func newVaultKey() throws -> VaultKey {
        if let key { return key }
        guard let source = try sources.identity() ?? sources.passphrase() else { throw VaultError.noKeyForNewVault(vault: path) }
        context.log.debug("creating \(path), encrypted to \(source.description)")
        let loaded = try VaultKey.load(source, vault: path, isNew: true, environment: context.environment, workFactor: scryptWorkFactor)
        key = loaded
        return loaded
    }

    /// Decrypts and parses; every failure names the vault, and none of them writes anything.
    func open(_ file: [UInt8], with key: VaultKey) throws -> VaultContents {
        let plaintext: SecretBytes
        do {
            plaintext = try AgeFile.decrypt(file, identities: key.identities)
        } catch AgeError.noMatch {
            throw VaultError.wrongKey(source: key.source.description, vault: path)
        } catch let error as AgeError {
            throw VaultError.damaged(vault: path, detail: error.detail)
        } catch is ScryptStanza.Failed {
            throw GeneralError("the passphrase could not be checked: scrypt needs more memory than the system gave")
        }
        do {
            return try VaultContents.parse(plaintext)
        } catch let error as VaultContents.Invalid {
            throw VaultError.damaged(vault: path, detail: "it decrypts, but \(error.reason)")
        } catch let error as VaultJSON.Malformed {
            throw VaultError.damaged(vault: path, detail: "it decrypts, but is not a vault's JSON (\(error.reason) at byte \(error.offset))")
        }
    }

    /// Read-modify-write under the lock. Keys are read (and people asked) before the lock is
    /// taken, so nobody waits on someone typing; the vault is read again once the lock is held,
    /// so a save that finished meanwhile is not lost. `change` returns false when nothing changed.
    private func update(savingWith newKey: VaultKey? = nil, _ change: (inout VaultContents) throws -> Bool) throws {
        let before = try readVault()
        let openKey = try before.map { try existingKey(for: $0) }
        let saveKey = try newKey ?? openKey ?? newVaultKey()
        try makeDirectory()
        let lock = try FileLock(path: lockPath, timeout: lockTimeout)
        defer { lock.unlock() }
        var contents = VaultContents()
        if let current = try readVault() {
            contents = try open(current, with: try openKey ?? existingKey(for: current))
        }
        guard try change(&contents) else { return }
        removeStaleTemporaryFiles()
        let plaintext = try contents.serialised()
        // A new file key, payload nonce and ephemeral key or salt on every save (age: a payload
        // is never modified in place).
        let file = try AgeFile.encrypt(plaintext, to: [saveKey.recipient])
        try FileSystem.writeAtomically(path, bytes: file, mode: 0o600)
        context.log.debug("saved \(contents.profiles.count) profile(s) to \(path), encrypted to \(saveKey.source.description)")
    }

    /// Our own directory is made private (0700); a directory the user chose with
    /// $SYNOFIN_CREDENTIAL_VAULT is created private when missing, but never re-moded.
    private func makeDirectory() throws {
        let directory = FileSystem.parentDirectory(of: path)
        if context.environment[Self.pathVariable] == nil || !FileSystem.exists(directory) {
            try FileSystem.makePrivateDirectory(directory)
        }
    }

    /// A writer killed mid-save leaves its temporary file behind. Only lock holders write them,
    /// so while we hold the lock, any that exist belong to dead processes.
    private func removeStaleTemporaryFiles() {
        let directory = FileSystem.parentDirectory(of: path)
        let prefix = "." + (path.split(separator: "/").last.map(String.init) ?? path) + ".tmp-"
        for name in FileSystem.entries(of: directory) where name.hasPrefix(prefix) {
            unlink(directory + "/" + name)
        }
    }
}
