import Glibc

/// `vault keygen` and `vault passwd`: the encrypted vault's keys. The vault itself is written by
/// `login --store file` and read by every command that needs a key and secret.
extension Commands {
    static let vault = CommandSpec(
        name: "vault",
        summary: "manage the encrypted vault (keygen, passwd)",
        help: """
            usage: synofin-credential vault keygen [--identity PATH]
                   synofin-credential vault passwd --identity PATH
                   synofin-credential vault passwd --passphrase [--stdin]

            The encrypted vault keeps the API key and secret of every profile stored with
            `login --store file`, for machines without a Secret Service (servers, containers,
            SSH sessions). It is an age v1 file (https://age-encryption.org), mode 0600:
              $SYNOFIN_CREDENTIAL_VAULT, else $XDG_DATA_HOME/synofin-credential/vault.age
              (~/.local/share/synofin-credential/vault.age)
            and it opens with the standard tools: age -d -i identity.txt vault.age

            It is unlocked by the first of these that exists, of the kind the vault needs (a
            vault made with a passphrase skips the identity files, and the other way round):
              1. an age identity file: $SYNOFIN_CREDENTIAL_IDENTITY,
                 $CREDENTIALS_DIRECTORY/synofin-credential.identity (systemd LoadCredential=),
                 $XDG_CONFIG_HOME/synofin-credential/identity.txt
              2. a passphrase: the file $SYNOFIN_CREDENTIAL_PASSPHRASE_FILE (one final newline is
                 dropped), $CREDENTIALS_DIRECTORY/synofin-credential.passphrase,
                 the variable $SYNOFIN_CREDENTIAL_PASSPHRASE, or a prompt on the terminal
                 (never with --non-interactive, SYNOFIN_CREDENTIAL_NONINTERACTIVE=1 or
                 GIT_TERMINAL_PROMPT=0).
            A new vault is encrypted to the identity if there is one, else to the passphrase;
            later saves keep the way it was opened. As ssh does with keys, vault, identity and
            passphrase files of yours that other users can access are refused (fix: chmod 600
            FILE).

            vault keygen
              Writes a new X25519 identity (age-keygen format, mode 0600) to --identity PATH, or
              to $SYNOFIN_CREDENTIAL_IDENTITY, or to $XDG_CONFIG_HOME/synofin-credential/identity.txt,
              and prints its public key (age1...) on stdout. Never overwrites a file. Keep a copy
              of the identity somewhere safe: without it the vault cannot be opened.

            vault passwd
              Opens the vault with the current identity or passphrase, then re-encrypts it (with
              a new file key) to the identity file --identity PATH (make one first with vault
              keygen), or to a new passphrase (--passphrase: typed twice on the terminal, or with
              --stdin read from stdin as one line). With no vault yet, creates an empty one.

            Examples:
              synofin-credential vault keygen
              printf 'api_key=%s\\napi_secret=%s\\n' "$KEY" "$SECRET" |
                synofin-credential login --store file --stdin --profile prod --url https://api.synofin.tech --client-name acme
              age -d -i ~/.config/synofin-credential/identity.txt ~/.local/share/synofin-credential/vault.age
              synofin-credential vault keygen --identity ~/new-key.txt &&
                synofin-credential vault passwd --identity ~/new-key.txt
              synofin-credential vault passwd --passphrase
              SYNOFIN_CREDENTIAL_PASSPHRASE_FILE=/run/secrets/vault-passphrase synofin-credential token

            Exit codes: 4 when the vault cannot be unlocked (no identity or passphrase, a wrong
            one, or a file mode others can read); 1 when the vault is damaged (it is left as is).
            """,
        options: ["identity", "passphrase", "stdin"]
    ) { context in
        let invocation = context.invocation
        guard invocation.arguments.count == 1, let action = invocation.arguments.first else {
            throw UsageError("vault needs one action, keygen or passwd; see synofin-credential vault --help")
        }
        switch action {
        case "keygen":
            guard !invocation.flag("passphrase"), !invocation.flag("stdin") else {
                throw UsageError("vault keygen takes only --identity PATH")
            }
            return try VaultCommands.keygen(context)
        case "passwd":
            return try VaultCommands.passwd(context)
        default:
            throw UsageError("unknown vault action '\(action)'; use keygen or passwd (see synofin-credential vault --help)")
        }
    }
}

enum VaultCommands {
    static func keygen(_ context: CommandContext) throws -> ExitCode {
        let store = VaultStore(context: context.storeContext)
        let sources = store.sources
        let chosen = context.invocation.value("identity")
        let path = chosen ?? sources.keygenPath
        let identity = try VaultKeygen.create(at: path, ownDirectory: path == sources.defaultIdentityPath)
        StandardStream.output.write(identity.recipient.encoded + "\n")
        context.log.notice("wrote a new identity to \(path); keep a copy somewhere safe: without it the vault cannot be opened")
        if !sources.findsIdentity(at: path) {
            context.log.notice("synofin-credential looks for the identity elsewhere; set \(VaultKeySources.identityVariable)=\(path) to use it")
        }
        if store.exists {
            context.log.notice("the vault \(store.path) is still encrypted to its old identity or passphrase; to re-encrypt it to this one, run: synofin-credential vault passwd --identity \(path)")
        }
        return .success
    }

    static func passwd(_ context: CommandContext) throws -> ExitCode {
        let invocation = context.invocation
        let identityPath = invocation.value("identity")
        let wantsPassphrase = invocation.flag("passphrase")
        guard (identityPath != nil) != wantsPassphrase else {
            throw UsageError("vault passwd needs either --identity PATH or --passphrase; see synofin-credential vault --help")
        }
        guard !invocation.flag("stdin") || wantsPassphrase else { throw UsageError("--stdin goes with --passphrase") }
        let store = VaultStore(context: context.storeContext)
        // The old key first: a wrong one should fail before anybody types a new passphrase.
        try store.unlock()
        let newKey: VaultKey
        if let identityPath {
            guard FileSystem.exists(identityPath) else {
                throw UsageError("\(identityPath) does not exist; make it first: synofin-credential vault keygen --identity \(identityPath)")
            }
            // Named as later runs will find it, so that messages about it say where it comes from.
            var source = VaultKeySource.identityFile(path: identityPath, via: .defaultPath)
            if store.sources.findsIdentity(at: identityPath), let found = try? store.sources.identity() { source = found }
            newKey = VaultKey(identities: try VaultKey.readIdentityFile(identityPath, source: source), source: source)
        } else if invocation.flag("stdin") {
            newKey = try VaultKey.passphraseKey(try readLine(context.input), source: .standardInput, workFactor: store.scryptWorkFactor)
        } else {
            guard context.mayPrompt else {
                throw VaultError.noPassphrase(vault: store.path)
            }
            newKey = try VaultKey.load(.prompt, vault: store.path, isNew: true, environment: context.environment)
        }
        let count = try store.reencrypt(to: newKey)
        let target = identityPath.map { "the identity in \($0)" } ?? "the new passphrase"
        context.log.notice("re-encrypted \(store.path) (\(count) profile\(count == 1 ? "" : "s")) to \(target)")
        if let identityPath, !store.sources.findsIdentity(at: identityPath) {
            context.log.notice("set \(VaultKeySources.identityVariable)=\(identityPath) so that synofin-credential finds this identity")
        }
        if wantsPassphrase, store.sources.environment[VaultKeySources.passphraseFileVariable] == nil {
            context.log.notice("for unattended use, put the passphrase in a file (chmod 600) named by \(VaultKeySources.passphraseFileVariable)")
        }
        return .success
    }

    /// One line of stdin (without its newline) straight into wiped memory.
    static func readLine(_ descriptor: Int32) throws -> SecretBytes {
        let buffer = SecretBytes(count: 4096)
        var length = 0
        try buffer.withUnsafeMutableBytes { bytes in
            while length < bytes.count {
                let got = read(descriptor, bytes.baseAddress! + length, 1)
                if got < 0 && errno == EINTR { continue }
                guard got >= 0 else { throw GeneralError("cannot read stdin: \(String(cString: strerror(errno)))") }
                if got == 0 || bytes[length] == 0x0A { break }
                length += 1
            }
            if length == bytes.count { throw UsageError("the passphrase on stdin is longer than \(bytes.count) bytes") }
            if length > 0 && bytes[length - 1] == 0x0D { length -= 1 }
        }
        return buffer.withUnsafeBytes { SecretBytes($0[0..<length]) }
    }
}
