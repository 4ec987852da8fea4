import Foundation
import Testing

/// A private D-Bus session bus, by default with a gnome-keyring-daemon whose login (default)
/// collection is unlocked with a throw-away password, torn down when the value goes. Each test
/// starts its own, so tests run in parallel and from a plain `swift test`, and never touch the
/// session of whoever runs them.
///
/// The bus config lists no service directories: D-Bus activation can never start a second,
/// locked keyring daemon, and a bus without a keyring really has no Secret Service. The daemons'
/// output goes to log files in the session directory, never to a pipe a test waits on.
///
/// Use `environment` (DBUS_SESSION_BUS_ADDRESS) in the environment of the code or binary under test.
final class SecretServiceSession {
    let directory: TemporaryDirectory
    let busAddress: String
    let keyringPassword = "throw-away-\(UUID().uuidString)"
    private var bus: Process?
    private var keyring: Process?

    /// The running gnome-keyring-daemon, for tests that stop it (SIGSTOP) to play a hung daemon.
    var keyringProcessIdentifier: Int32? { keyring?.processIdentifier }

    /// What the code under test needs to find this session.
    /// The bus configuration shared with contrib/testing/with-secret-service.sh.
    static let busConfig = TestBinary.repositoryRoot.appendingPathComponent("contrib/testing/session-bus.conf").path

    var environment: [String: String] { ["DBUS_SESSION_BUS_ADDRESS": busAddress] }

    /// Starts the bus and, when `withKeyring`, an unlocked gnome-keyring-daemon, and waits until
    /// it owns org.freedesktop.secrets (its --unlock returns before that).
    static func start(withKeyring: Bool = true) throws -> SecretServiceSession {
        let session = try SecretServiceSession()
        if withKeyring { try session.startKeyring(replacing: false) }
        return session
    }

    private init() throws {
        directory = try TemporaryDirectory()
        for name in ["runtime", "data", "home"] {
            try FileManager.default.createDirectory(atPath: directory.file(name), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        let socket = directory.file("bus")
        busAddress = "unix:path=" + socket
        bus = try Self.launch("/usr/bin/env", ["dbus-daemon", "--config-file=" + Self.busConfig, "--address=" + busAddress, "--nofork", "--nopidfile"],
                              environment: daemonEnvironment, log: directory.file("bus.log"))
        let deadline = Date().addingTimeInterval(5)
        // The socket file appears at bind(), a moment before listen(): wait until it accepts.
        while !Self.accepts(socket) {
            guard Date() < deadline, bus?.isRunning == true else {
                stop()
                throw SessionError("dbus-daemon did not start: \(log("bus.log"))")
            }
            usleep(5_000)
        }
    }

    deinit { stop() }

    /// The environment of the daemons and tools: this session only, no display (so no prompt can
    /// ever reach a person), keyrings kept in the session directory.
    var daemonEnvironment: [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory.file("home"),
            "XDG_RUNTIME_DIR": directory.file("runtime"),
            "XDG_DATA_HOME": directory.file("data"),
            "DBUS_SESSION_BUS_ADDRESS": busAddress,
            "LANG": "C.UTF-8",
        ]
    }

    /// Locks the login collection over D-Bus, as a screen locker or `seahorse` would.
    func lockDefaultCollection() throws {
        let result = try run("/usr/bin/env", ["gdbus", "call", "--session", "--dest", "org.freedesktop.secrets",
                                              "--object-path", "/org/freedesktop/secrets",
                                              "--method", "org.freedesktop.Secret.Service.Lock",
                                              "['/org/freedesktop/secrets/collection/login']"],
                             environment: daemonEnvironment, timeout: 10)
        guard result.status == 0 else { throw SessionError("Lock failed: \(result.stderr)") }
    }

    /// Unlocks the keyring without a prompt the only way gnome-keyring allows headless: a new
    /// daemon replaces the running one and opens the login keyring from disk with the password
    /// on stdin (`gnome-keyring-daemon --replace --unlock`, what a person over SSH would run).
    func unlockByReplacingTheDaemon() throws {
        try startKeyring(replacing: true)
    }

    /// `secret-tool ARGS` on this session; its output is searched by the tests.
    func secretTool(_ arguments: [String]) throws -> RunResult {
        try run("/usr/bin/env", ["secret-tool"] + arguments, environment: daemonEnvironment, timeout: 10)
    }

    func stop() {
        for process in [keyring, bus].compactMap({ $0 }) {
            Self.end(process)
        }
        keyring = nil
        bus = nil
    }

    private func startKeyring(replacing: Bool) throws {
        let previous = keyring
        var arguments = ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"]
        if replacing { arguments.insert("--replace", at: 2) }
        let input = Pipe()
        keyring = try Self.launch("/usr/bin/env", arguments, environment: daemonEnvironment,
                                  log: directory.file(replacing ? "keyring-replacement.log" : "keyring.log"), input: input)
        input.fileHandleForWriting.write(Data(keyringPassword.utf8))
        try input.fileHandleForWriting.close()
        if let previous {
            // The replaced daemon quits when told to; until then it still owns the name.
            let deadline = Date().addingTimeInterval(10)
            while previous.isRunning && Date() < deadline { usleep(5_000) }
            Self.end(previous)
        }
        let waited = try run("/usr/bin/env", ["gdbus", "wait", "--session", "--timeout", "10", "org.freedesktop.secrets"],
                             environment: daemonEnvironment, timeout: 15)
        guard waited.status == 0 else {
            throw SessionError("gnome-keyring-daemon did not take org.freedesktop.secrets: \(log("keyring.log"))")
        }
    }

    private func log(_ name: String) -> String {
        (try? String(contentsOfFile: directory.file(name), encoding: .utf8)) ?? "(no log)"
    }

    private static func launch(
        _ executable: String, _ arguments: [String], environment: [String: String], log: String, input: Pipe? = nil
    ) throws -> Process {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = input ?? FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try output.close()
        return process
    }

    private static func accepts(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }

    /// SIGKILL, and reaped. Not SIGTERM: children of a test inherit the signal mask of the
    /// Swift concurrency thread that spawned them, which blocks SIGTERM. Neither daemon keeps
    /// anything in memory that a test needs: gnome-keyring writes the keyring on every change.
    private static func end(_ process: Process) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    struct SessionError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
