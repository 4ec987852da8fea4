import Foundation
import Testing
@testable import SynofinCredential

/// Where the Secret Service cannot serve, every call fails with exit 4, quickly, with the fix.
@Suite struct SecretServiceFailureTests {
    @Test func withoutABusAddressReadFailsWithExit4InUnder2Seconds() throws {
        let directory = try TemporaryDirectory()
        // XDG_RUNTIME_DIR without a bus socket in it, as in an SSH login without systemd --user.
        let store = SecretServiceStore(context: secretServiceContext(["XDG_RUNTIME_DIR": directory.path, "DISPLAY": ":0"]))
        #expect(store.unavailableReason()?.contains("no D-Bus session bus") == true)

        let (seconds, error) = timed { _ = try store.read(profile: try testProfile("preprod")) }
        #expect((error as? UserFacingError)?.exitCode == .storeUnavailable)
        #expect(error as? SecretServiceError == .noSessionBus)
        #expect(seconds < 2)
    }

    @Test func anAutolaunchOnlyAddressIsRefusedRatherThanStartingABus() throws {
        let store = SecretServiceStore(context: secretServiceContext(["DBUS_SESSION_BUS_ADDRESS": "autolaunch:", "DISPLAY": ":0"]))
        let (seconds, error) = timed { _ = try store.read(profile: try testProfile("preprod")) }
        #expect(error as? SecretServiceError == .autolaunchRefused)
        #expect(seconds < 2)
    }

    @Test func aStaleBusAddressFailsWithExit4AndNamesTheAddress() throws {
        let directory = try TemporaryDirectory()
        let address = "unix:path=" + directory.file("gone")
        let store = SecretServiceStore(context: secretServiceContext(["DBUS_SESSION_BUS_ADDRESS": address]))
        let (seconds, error) = timed { _ = try store.read(profile: try testProfile("preprod")) }
        #expect((error as? UserFacingError)?.exitCode == .storeUnavailable)
        #expect((error as? UserFacingError)?.message.contains(address) == true)
        #expect(seconds < 2)
    }

    @Test func aBusWithoutASecretServiceFailsWithExit4WithinTheLimit_realDBusDaemon() throws {
        let session = try SecretServiceSession.start(withKeyring: false)
        let store = SecretServiceStore(context: secretServiceContext(session.environment))
        let reason = try #require(store.unavailableReason())
        #expect(reason.contains("org.freedesktop.secrets"))

        let (seconds, error) = timed { _ = try store.read(profile: try testProfile("preprod")) }
        guard case .noService? = error as? SecretServiceError else {
            Issue.record("expected noService, got \(String(describing: error))")
            return
        }
        #expect(seconds < 5)
        let writing = timed { try store.write(testCredentials(key: "k", secret: "s"), for: try testProfile("preprod")) }
        #expect((writing.error as? UserFacingError)?.exitCode == .storeUnavailable)
    }

    @Test func aBusThatNeverAnswersIsAbandonedAtTheTimeLimitWithExit4() throws {
        let directory = try TemporaryDirectory()
        let listener = try SilentSocket(path: directory.file("bus"))
        let store = SecretServiceStore(
            context: secretServiceContext(["DBUS_SESSION_BUS_ADDRESS": "unix:path=" + listener.path]),
            limits: SecretServiceLimits(seconds: 1, promptSeconds: 1))
        let (seconds, error) = timed { _ = try store.read(profile: try testProfile("preprod")) }
        #expect(error as? SecretServiceError == .timedOut(seconds: 1))
        #expect(seconds >= 0.9 && seconds < 2.5)
    }

    @Test func aKeyringDaemonThatStopsAnsweringIsAbandonedAtTheTimeLimitWithExit4_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        let profile = try testProfile("preprod")
        try SecretServiceStore(context: secretServiceContext(session.environment))
            .write(testCredentials(key: "k", secret: "s"), for: profile)
        let daemon = try #require(session.keyringProcessIdentifier)
        kill(daemon, SIGSTOP)
        defer { kill(daemon, SIGCONT) }
        let store = SecretServiceStore(context: secretServiceContext(session.environment),
                                       limits: SecretServiceLimits(seconds: 1, promptSeconds: 1))
        let (seconds, error) = timed { _ = try store.read(profile: profile) }
        #expect(error as? SecretServiceError == .timedOut(seconds: 1))
        #expect(seconds >= 0.9 && seconds < 2.5)
    }

    @Test func aLockedCollectionFailsWithExit4WithinTheLimitAndKeepsTheItem_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        let store = SecretServiceStore(context: secretServiceContext(session.environment))
        let profile = try testProfile("preprod")
        try store.write(testCredentials(key: "kept-key", secret: "kept-secret"), for: profile)
        try session.lockDefaultCollection()

        let reading = timed { _ = try store.read(profile: profile) }
        #expect(reading.error as? SecretServiceError == .locked(promptPossible: false))
        #expect(reading.seconds < 5)
        let writing = timed { try store.write(testCredentials(key: "other", secret: "other"), for: profile) }
        #expect(writing.error as? SecretServiceError == .locked(promptPossible: false))
        let removing = timed { try store.remove(profile: profile) }
        #expect(removing.error as? SecretServiceError == .locked(promptPossible: false))

        try session.unlockByReplacingTheDaemon()
        let kept = try store.read(profile: profile)
        #expect(kept.apiKey.testText == "kept-key")
        #expect(kept.apiSecret.testText == "kept-secret")
    }

    @Test func aLockedCollectionIsNeverReportedAsNoCredentials_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        try session.lockDefaultCollection()
        let store = SecretServiceStore(context: secretServiceContext(session.environment))
        let error = #expect(throws: SecretServiceError.self) { try store.read(profile: try testProfile("never-stored")) }
        #expect(error == .locked(promptPossible: false))
    }

    @Test func aLockedCollectionIsReportedWithoutUnlockingIt_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        try session.lockDefaultCollection()
        let store = SecretServiceStore(context: secretServiceContext(session.environment))
        #expect(store.state() == .locked(promptPossible: false))
        #expect(store.isLocked == true)
        #expect(store.unavailableReason()?.contains("locked") == true)
        // Still locked afterwards: looking never unlocked it.
        #expect(store.isLocked == true)
    }
}

/// A listening Unix socket that accepts connections and never says a word: a bus that hangs.
final class SilentSocket {
    let path: String
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard descriptor >= 0, bound == 0, listen(descriptor, 8) == 0 else {
            throw SecretServiceSession.SessionError("cannot listen on \(path)")
        }
    }

    deinit { close(descriptor) }
}
