import Foundation
import Testing

/// The helper must start where libsecret and GLib are not installed, and a cached `get` must not
/// load them: they are opened with dlopen when the Secret Service is first used, never linked.
@Suite struct SecretServiceBinaryTests {
    @Test func theBinaryNeedsNoLibsecretGlibOrGioAtLoadTime_runsReadelf() throws {
        let result = try run("/usr/bin/env", ["readelf", "-d", TestBinary.path], environment: ["PATH": "/usr/bin:/bin"], timeout: 30)
        #expect(result.status == 0)
        let needed = result.stdout.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        #expect(!needed.isEmpty)
        for forbidden in ["libsecret", "libglib", "libgio", "libgobject", "libgcrypt"] {
            #expect(!needed.contains { $0.contains(forbidden) }, "\(forbidden) is linked: \(needed)")
        }
    }
}

/// The helper where libsecret is missing, played by hiding the library in a private mount
/// namespace (`unshare -rm`, which needs user namespaces; skipped where they are not allowed).
@Suite struct SecretServiceMissingLibraryTests {
    /// Where the dynamic linker finds libsecret-1.so.0, per `ldconfig -p`.
    static let libraryPath: String? = {
        guard let result = try? run("/usr/bin/env", ["ldconfig", "-p"], environment: ["PATH": "/usr/sbin:/sbin:/usr/bin:/bin"], timeout: 10)
        else { return nil }
        // Lines look like: "\tlibsecret-1.so.0 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libsecret-1.so.0".
        return result.stdout.split(separator: "\n")
            .filter { $0.contains("libsecret-1.so.0 ") }
            .compactMap { $0.components(separatedBy: "=> ").last?.trimmingCharacters(in: .whitespaces) }
            .first { FileManager.default.fileExists(atPath: $0) }
    }()

    static let canHideLibraries: Bool = {
        guard let libraryPath else { return false }
        let probe = try? run("/usr/bin/env", ["unshare", "-rm", "mount", "--bind", "/dev/null", libraryPath],
                             environment: ["PATH": "/usr/sbin:/sbin:/usr/bin:/bin"], timeout: 10)
        return probe?.status == 0
    }()

    @Test(.enabled(if: canHideLibraries))
    func withoutLibsecretTheSecretServiceStoreNamesThePackageAndExits4WhileOtherStoresServe_runsUnshare() throws {
        let directory = try TemporaryDirectory()
        let environment = isolatedEnvironment(in: directory, extra: [
            // A bus address, so that the missing library is the first thing to fail.
            "DBUS_SESSION_BUS_ADDRESS": "unix:path=" + directory.file("no-bus"),
            "PATH": "/usr/sbin:/sbin:/usr/bin:/bin",
        ])
        func hidden(_ arguments: [String], extra: [String: String] = [:], input: String? = nil) throws -> RunResult {
            try run("/usr/bin/env", ["unshare", "-rm", "sh", "-c", "mount --bind /dev/null \"$0\" && exec \"$@\"",
                                     Self.libraryPath!, TestBinary.path] + arguments,
                    environment: environment.merging(extra) { _, new in new }, input: input, timeout: 30)
        }
        let login = try hidden(["login", "--profile", "p", "--url", "https://api-preprod.synofin.tech", "--client-name", "c",
                                "--store", "secret-service", "--stdin", "--no-verify"], input: "api_key=K\napi_secret=S\n")
        #expect(login.status == 4)
        #expect(login.stderr.contains("apt install libsecret-1-0"))
        #expect(login.stdout.isEmpty)

        let status = try hidden(["status"], extra: [
            "SYNOFIN_API_KEY": "K", "SYNOFIN_API_SECRET": "S", "SYNOFIN_API_URL": "https://api-preprod.synofin.tech",
            "SYNOFIN_CLIENT_NAME": "c",
        ])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("env"))
    }
}
