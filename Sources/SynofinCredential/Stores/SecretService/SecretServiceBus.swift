import Glibc

/// Which D-Bus session bus the Secret Service is reached on, decided before any library is
/// loaded. GLib, left to itself, autolaunches a private X11 bus when DBUS_SESSION_BUS_ADDRESS is
/// unset: a bus with no keyring on it, and a process that outlives us holding our stdout. So
/// the address is resolved here, as GLib would, minus the autolaunch, and handed over explicitly.
enum SecretServiceBus {
    /// The bus address, or the reason there is none.
    static func address(in environment: Environment) throws -> String {
        if let configured = environment["DBUS_SESSION_BUS_ADDRESS"] {
            // A list of alternatives, tried in order; autolaunch: is the one we never want.
            let usable = configured.split(separator: ";").filter { !$0.hasPrefix("autolaunch:") }
            guard !usable.isEmpty else { throw SecretServiceError.autolaunchRefused }
            return usable.joined(separator: ";")
        }
        // systemd's per-user bus, which GLib and libdbus use when the variable is unset.
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            let socket = runtime + "/bus"
            if isSocket(socket) { return "unix:path=" + escaped(socket) }
        }
        throw SecretServiceError.noSessionBus
    }

    private static func isSocket(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }

    /// D-Bus address values escape every byte outside [-0-9A-Za-z_/.\*] as %XX.
    static func escaped(_ value: String) -> String {
        var text = ""
        for byte in value.utf8 {
            let isPlain = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "/")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "*")
            text += isPlain ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16).leftPadded(to: 2)
        }
        return text
    }
}
