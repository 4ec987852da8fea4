/// Where a key to the vault comes from. `description` names it in every message about it, so a
/// person knows which file or variable to fix.
enum VaultKeySource: Equatable {
    case identityFile(path: String, via: Via)
    case passphraseFile(path: String, via: Via)
    case passphraseVariable
    case prompt
    /// `vault passwd --passphrase --stdin`.
    case standardInput

    enum Via: Equatable {
        case variable(String)
        case systemdCredential(String)
        case defaultPath
    }

    var isIdentity: Bool {
        if case .identityFile = self { return true }
        return false
    }

    var description: String {
        switch self {
        case .identityFile(let path, let via): return "the identity " + Self.origin(path, via)
        case .passphraseFile(let path, let via): return "the passphrase " + Self.origin(path, via)
        case .passphraseVariable: return "the passphrase in $\(VaultKeySources.passphraseVariable)"
        case .prompt: return "the passphrase typed at the prompt"
        case .standardInput: return "the passphrase read from stdin"
        }
    }

    private static func origin(_ path: String, _ via: Via) -> String {
        switch via {
        case .variable(let name): return "in $\(name) (\(path))"
        case .systemdCredential(let name): return "in the systemd credential \(name) (\(path))"
        case .defaultPath: return "in \(path)"
        }
    }
}

/// The places SPEC.md names, in its order: an X25519 identity file from
/// $SYNOFIN_CREDENTIAL_IDENTITY, $CREDENTIALS_DIRECTORY/synofin-credential.identity (systemd's
/// LoadCredential=) or ~/.config/synofin-credential/identity.txt; else a passphrase from
/// $SYNOFIN_CREDENTIAL_PASSPHRASE_FILE, $CREDENTIALS_DIRECTORY/synofin-credential.passphrase,
/// $SYNOFIN_CREDENTIAL_PASSPHRASE, or a prompt on /dev/tty when one is allowed. Finding a source
/// is cheap and never prompts; `VaultKey.load` reads it.
struct VaultKeySources {
    static let identityVariable = "SYNOFIN_CREDENTIAL_IDENTITY"
    static let passphraseFileVariable = "SYNOFIN_CREDENTIAL_PASSPHRASE_FILE"
    static let passphraseVariable = "SYNOFIN_CREDENTIAL_PASSPHRASE"
    static let credentialsDirectoryVariable = "CREDENTIALS_DIRECTORY"
    static let identityCredential = "synofin-credential.identity"
    static let passphraseCredential = "synofin-credential.passphrase"

    let environment: Environment
    let paths: Paths
    let mayPrompt: Bool

    var defaultIdentityPath: String { paths.configDirectory + "/identity.txt" }

    /// Where `vault keygen` writes when given no --identity.
    var keygenPath: String { environment[Self.identityVariable] ?? defaultIdentityPath }

    private func credential(_ name: String) -> String? {
        environment[Self.credentialsDirectoryVariable].map { $0 + "/" + name }
    }

    /// The first identity file configured. A variable that names a missing file is an error
    /// (a typo must not silently fall through to another key); the other places are optional.
    func identity() throws -> VaultKeySource? {
        if let path = environment[Self.identityVariable] {
            guard FileSystem.exists(path) else { throw VaultError.missingFile(variable: Self.identityVariable, path: path) }
            return .identityFile(path: path, via: .variable(Self.identityVariable))
        }
        if let path = credential(Self.identityCredential), FileSystem.exists(path) {
            return .identityFile(path: path, via: .systemdCredential(Self.identityCredential))
        }
        if FileSystem.exists(defaultIdentityPath) { return .identityFile(path: defaultIdentityPath, via: .defaultPath) }
        return nil
    }

    /// Whether `identity()` picks `path`: else a new identity there would go unused.
    func findsIdentity(at path: String) -> Bool {
        if case .identityFile(let found, _) = try? identity() { return found == path }
        return false
    }

    /// The places `identity()` looks, for the message when it finds nothing.
    var identityPlaces: [String] {
        ["$\(Self.identityVariable)", "$\(Self.credentialsDirectoryVariable)/\(Self.identityCredential)", defaultIdentityPath]
    }

    /// The first passphrase source; the prompt last, and only when a person may be asked.
    func passphrase() throws -> VaultKeySource? {
        if let path = environment[Self.passphraseFileVariable] {
            guard FileSystem.exists(path) else { throw VaultError.missingFile(variable: Self.passphraseFileVariable, path: path) }
            return .passphraseFile(path: path, via: .variable(Self.passphraseFileVariable))
        }
        if let path = credential(Self.passphraseCredential), FileSystem.exists(path) {
            return .passphraseFile(path: path, via: .systemdCredential(Self.passphraseCredential))
        }
        if environment[Self.passphraseVariable] != nil { return .passphraseVariable }
        return mayPrompt ? .prompt : nil
    }
}

/// A key read from its source: what opens the vault, and what the next save encrypts to, so a
/// vault keeps the way it was opened.
final class VaultKey {
    let source: VaultKeySource
    let identities: [AgeIdentity]
    let recipient: AgeRecipient

    /// The largest identity or passphrase file we read.
    static let fileLimit = 64 << 10

    private init(source: VaultKeySource, identities: [AgeIdentity], recipient: AgeRecipient) {
        self.source = source
        self.identities = identities
        self.recipient = recipient
    }

    convenience init(identities: [X25519Identity], source: VaultKeySource) {
        self.init(source: source, identities: identities, recipient: identities[0].recipient)
    }

    convenience init(passphrase: SecretBytes, source: VaultKeySource, workFactor: Int) {
        self.init(source: source, identities: [ScryptIdentity(passphrase: passphrase)],
                  recipient: ScryptRecipient(passphrase: passphrase, workFactor: workFactor))
    }

    /// Reads the key from `source`. `isNew`: the passphrase will create a vault, so a prompt
    /// asks twice, as a typo would lock the vault for good.
    static func load(_ source: VaultKeySource, vault: String, isNew: Bool, environment: Environment,
                     workFactor: Int = ScryptStanza.defaultWorkFactor) throws -> VaultKey {
        switch source {
        case .identityFile(let path, _):
            return VaultKey(identities: try readIdentityFile(path, source: source), source: source)
        case .passphraseFile(let path, _):
            guard var bytes = try VaultPrivateFile.read(path, what: "the passphrase file", limit: fileLimit) else {
                throw FileSystemError(message: "\(path) disappeared while it was being read")
            }
            defer { Sodium.wipe(&bytes) }
            // Exactly one final newline goes: `echo pass > file` adds it, but a passphrase may
            // itself end in spaces or even a second newline.
            var end = bytes.count
            if end > 0 && bytes[end - 1] == 0x0A { end -= 1 }
            if end > 0 && bytes[end - 1] == 0x0D { end -= 1 }
            return try passphraseKey(SecretBytes(bytes[0..<end]), source: source, workFactor: workFactor)
        case .passphraseVariable:
            let text = environment[VaultKeySources.passphraseVariable] ?? ""
            return try passphraseKey(SecretBytes(Array(text.utf8)), source: source, workFactor: workFactor)
        case .standardInput:
            preconditionFailure("stdin passphrases are read by vault passwd")
        case .prompt:
            let passphrase = try Terminal.readSecret(prompt: isNew ? "New passphrase for \(vault): " : "Passphrase for \(vault): ")
            if isNew {
                let again = try Terminal.readSecret(prompt: "Repeat the passphrase: ")
                guard passphrase.constantTimeEquals(again) else { throw VaultError.passphrasesDiffer }
            }
            return try passphraseKey(passphrase, source: source, workFactor: workFactor)
        }
    }

    static func passphraseKey(_ passphrase: SecretBytes, source: VaultKeySource, workFactor: Int) throws -> VaultKey {
        guard !passphrase.isEmpty else { throw VaultError.emptyPassphrase(source: source.description) }
        return VaultKey(passphrase: passphrase, source: source, workFactor: workFactor)
    }

    static func readIdentityFile(_ path: String, source: VaultKeySource) throws -> [X25519Identity] {
        guard var bytes = try VaultPrivateFile.read(path, what: "the identity file", limit: fileLimit) else {
            throw FileSystemError(message: "\(path) disappeared while it was being read")
        }
        let contents = SecretBytes(bytes)
        Sodium.wipe(&bytes)
        do {
            return try IdentityFile.parse(contents)
        } catch let error as IdentityFile.Invalid {
            throw VaultError.badIdentityFile(source: source.description, reason: error.reason)
        }
    }
}
