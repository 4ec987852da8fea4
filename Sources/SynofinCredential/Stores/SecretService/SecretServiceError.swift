/// Why the Secret Service cannot serve, each with the fix a person can apply. All but a damaged
/// item mean "no usable secret store here" (exit 4), so scripts can fall back to `--store file`.
public enum SecretServiceError: UserFacingError, Equatable {
    /// libsecret-1.so.0 cannot be loaded.
    case libraryMissing(detail: String)
    /// Neither DBUS_SESSION_BUS_ADDRESS nor $XDG_RUNTIME_DIR/bus: an SSH login, a container, cron.
    case noSessionBus
    /// The address names only `autolaunch:`, which would start a bus of our own for nobody.
    case autolaunchRefused
    case busUnreachable(address: String, detail: String)
    /// Nothing on the bus provides org.freedesktop.secrets.
    case noService(detail: String)
    case noDefaultCollection
    /// The collection is locked; `promptPossible` tells whether a person could unlock it from here
    /// (we may prompt and there is a display), for `status` and `doctor`.
    case locked(promptPossible: Bool)
    case promptDismissed
    case timedOut(seconds: Double)
    case failed(detail: String)
    /// The item exists but does not hold what `login` writes.
    case damagedItem(profile: String)

    public var exitCode: ExitCode {
        if case .damagedItem = self { return .failure }
        return .storeUnavailable
    }

    private static let orFile = "or keep the key and secret in the encrypted file instead (--store file)"

    public var message: String {
        switch self {
        case .libraryMissing(let detail):
            return "\(detail), so the Secret Service cannot be reached; install it (Debian and Ubuntu: apt install libsecret-1-0), \(Self.orFile)"
        case .noSessionBus:
            return "there is no D-Bus session bus here (DBUS_SESSION_BUS_ADDRESS is unset and $XDG_RUNTIME_DIR/bus does not exist), as in an SSH login, a container or a cron job; run the command under dbus-run-session with gnome-keyring-daemon --unlock (see OVER SSH in the man page), \(Self.orFile)"
        case .autolaunchRefused:
            return "DBUS_SESSION_BUS_ADDRESS names only autolaunch:, which would start a private bus with no keyring in it; point it at your session bus, \(Self.orFile)"
        case .busUnreachable(let address, let detail):
            return "cannot connect to the D-Bus session bus at \(address) (\(detail)); check DBUS_SESSION_BUS_ADDRESS (a stale value from an old login?), \(Self.orFile)"
        case .noService:
            return "no Secret Service answers on the D-Bus session bus (nothing provides org.freedesktop.secrets); start one (GNOME Keyring: gnome-keyring-daemon --unlock --components=secrets, reading the keyring password on stdin; or KeePassXC with its Secret Service integration on), \(Self.orFile)"
        case .noDefaultCollection:
            return "the Secret Service has no default keyring; create one (GNOME Keyring: gnome-keyring-daemon --unlock creates the login keyring from a password on stdin; Seahorse: File > New > Password Keyring, then Set as Default), \(Self.orFile)"
        case .locked(let promptPossible):
            let why = promptPossible
                ? "the default keyring is locked"
                : "the default keyring is locked, and this run may not show an unlock prompt (it is non-interactive, or there is no desktop display)"
            return "\(why); unlock the keyring (in the desktop session, or headless: gnome-keyring-daemon --replace --unlock --components=secrets, reading the keyring password on stdin), \(Self.orFile)"
        case .promptDismissed:
            return "the keyring's prompt was dismissed; run the command again and accept it, \(Self.orFile)"
        case .timedOut(let seconds):
            return "the Secret Service did not answer within \(Self.format(seconds)) (a stuck keyring daemon, or a prompt nobody answered); unlock the keyring or restart its daemon, \(Self.orFile)"
        case .failed(let detail):
            return "the Secret Service failed: \(detail); check the keyring daemon (journalctl --user), \(Self.orFile)"
        case .damagedItem(let profile):
            return "the Secret Service item of profile '\(profile)' does not hold an api_key and an api_secret line; enrol the profile again: synofin-credential login --profile \(profile) --store secret-service ..."
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
