import Foundation
import Testing
@testable import SynofinCredential

/// Concurrent writers and writers killed mid-save, through the built binary: the lock and the
/// atomic replacement must never lose a profile or leave a vault that does not open.
@Suite struct VaultCrashTests {
    typealias F = VaultFixture

    @Test func eightConcurrentLoginProcessesLoseNoProfile() throws {
        let fixture = try VaultFixture()
        let identity = try fixture.makeIdentity()
        let statuses = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            do {
                let result = try VaultCommandTests.login("p\(index)", fixture)
                if result.status != 0 { statuses.append("p\(index): \(result.status) \(result.stderr)") }
            } catch {
                statuses.append("p\(index): \(error)")
            }
        }
        #expect(statuses.items.isEmpty)
        #expect(try fixture.contents(identities: [identity]).profiles.keys.sorted() == (0..<8).map { "p\($0)" })
    }

    /// A writer process started and killed with SIGKILL at a random moment of its life, again
    /// and again: after each kill the vault opens and holds the old profiles or the old plus the
    /// new one. Every fifth writer is `vault passwd` to the same identity, a pure re-encryption.
    @Test func writersKilledAtRandomMomentsLeaveTheOldOrTheNewVault() throws {
        let fixture = try VaultFixture()
        let identity = try fixture.makeIdentity()
        #expect(try VaultCommandTests.login("seed", fixture).status == 0)
        // Kill anywhere from before exec to after exit: up to 1.5 times a whole run.
        let started = Date()
        #expect(try VaultCommandTests.login("timing", fixture).status == 0)
        let lifetime = max(Date().timeIntervalSince(started), 0.005)
        var expected = Set(try fixture.contents(identities: [identity]).profiles.keys)
        let directory = (fixture.vaultPath as NSString).deletingLastPathComponent
        func leftovers() throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".vault.age.tmp-") }.count
        }
        var killed = 0, finished = 0, killedMidWrite = 0
        for index in 0..<120 {
            let leftoversBefore = try leftovers()
            let isPasswd = index % 5 == 4
            let name = "k\(index)"
            let arguments = isPasswd
                ? ["vault", "passwd", "--identity", fixture.defaultIdentityPath]
                : ["login", "--store", "file", "--stdin", "--no-verify", "--profile", name, "--url", VaultCommandTests.url, "--client-name", "acme"]
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TestBinary.path)
            process.arguments = arguments
            process.environment = fixture.environment
            let input = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            input.fileHandleForWriting.write(Data("api_key=\(StandIn.apiKey)\napi_secret=\(StandIn.apiSecret)\n".utf8))
            try? input.fileHandleForWriting.close()
            usleep(useconds_t(Double.random(in: 0...(lifetime * 1.5)) * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { killed += 1 } else { finished += 1 }
            // A new temporary file: this one died between writing the new vault and renaming it.
            if try leftovers() > leftoversBefore { killedMidWrite += 1 }

            let now = Set(try fixture.contents(identities: [identity]).profiles.keys)
            if isPasswd {
                #expect(now == expected, "after killed vault passwd #\(index)")
            } else {
                #expect(now == expected || now == expected.union([name]), "after killed login #\(index)")
            }
            expected = now
        }
        // Both outcomes happened, so kills landed during runs, not only before or after them.
        #expect(killed > 0)
        #expect(finished > 0)
        // The next save clears what killed writers left behind.
        #expect(try VaultCommandTests.login("last", fixture).status == 0)
        #expect(try leftovers() == 0)
        print("kill -9 loop: \(killed) writers killed (\(killedMidWrite) between creating the new vault's temporary file and renaming it), \(finished) finished, \(expected.count) profiles kept")
    }
}
