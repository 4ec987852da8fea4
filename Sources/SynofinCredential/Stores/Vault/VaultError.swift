/// Why the encrypted vault cannot serve, each with its fix. Everything that keeps the vault
/// locked (no key, a wrong key, an unsafe file mode) is "no usable secret store" (exit 4), so
/// scripts can tell it from a damaged vault (exit 1), which needs a person and a backup.
public enum VaultError: UserFacingError, Equatable {
    /// A vault, identity or passphrase file that other users could read.
    case unsafeMode(what: String, path: String, mode: UInt32)
    /// A variable names a file that is not there.
    case missingFile(variable: String, path: String)
    /// No vault yet, and no identity or passphrase to create one with.
    case noKeyForNewVault(vault: String)
    /// The vault is encrypted to an identity, and no identity file was found.
    case noIdentity(vault: String, searched: [String])
    /// The vault is encrypted with a passphrase, and none can be had here.
    case noPassphrase(vault: String)
    /// The key found does not open the vault.
    case wrongKey(source: String, vault: String)
    case badIdentityFile(source: String, reason: String)
    case emptyPassphrase(source: String)
    case passphrasesDiffer
    /// The file is not a readable age file, or its plaintext is not our JSON.
    case damaged(vault: String, detail: String)
    case unsupportedRecipients(vault: String, types: [String])

    public var exitCode: ExitCode {
        switch self {
        case .damaged, .unsupportedRecipients, .passphrasesDiffer: return .failure
        default: return .storeUnavailable
        }
    }

    public var message: String {
        switch self {
        case .unsafeMode(let what, let path, let mode):
            return "\(what) \(path) is open to other users (mode \(String(mode, radix: 8).leftPadded(to: 4))), so it is refused, as ssh refuses such keys; run: chmod 600 \(path)"
        case .missingFile(let variable, let path):
            return "\(variable) names \(path), which does not exist; create it (an identity: synofin-credential vault keygen --identity \(path)) or unset \(variable)"
        case .noKeyForNewVault(let vault):
            return "there is no identity or passphrase to create the encrypted vault \(vault) with, and prompting is off; run: synofin-credential vault keygen (an identity file), or set SYNOFIN_CREDENTIAL_PASSPHRASE_FILE to a file holding a passphrase"
        case .noIdentity(let vault, let searched):
            return "the encrypted vault \(vault) is encrypted to an age identity, and none was found (looked at \(searched.joined(separator: ", "))); set SYNOFIN_CREDENTIAL_IDENTITY to the identity file it was made with"
        case .noPassphrase(let vault):
            return "the encrypted vault \(vault) is protected by a passphrase, and none was given and prompting is off; set SYNOFIN_CREDENTIAL_PASSPHRASE_FILE (or, under systemd, the credential synofin-credential.passphrase), or run it in a terminal"
        case .wrongKey(let source, let vault):
            return "\(source) does not open the encrypted vault \(vault); use the identity or passphrase it was made with (the vault was left untouched)"
        case .badIdentityFile(let source, let reason):
            return "\(source) is not a usable age identity file: \(reason); make one with: synofin-credential vault keygen"
        case .emptyPassphrase(let source):
            return "\(source) is empty; a vault passphrase cannot be empty"
        case .passphrasesDiffer:
            return "the two passphrases differ; nothing was changed, try again"
        case .damaged(let vault, let detail):
            return "the encrypted vault \(vault) cannot be read: \(detail). It was left exactly as it is; restore it from a backup, or move it away and run login --store file again"
        case .unsupportedRecipients(let vault, let types):
            return "the encrypted vault \(vault) is encrypted to \(types.joined(separator: ", ")), which this helper cannot open; it opens X25519 identities (age-keygen) and passphrases"
        }
    }
}
