import Foundation
import Testing

/// The API key and secret appear in no file the helper leaves behind, whatever store it used.
/// (Every run's stdout and stderr are checked for them in `runHelper` itself.)
@Suite struct SecretHygieneTests {
    /// Every regular file under `root` that holds `needle`, as relative paths.
    func files(under root: String, containing needles: [String]) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        for case let relative as String in walker {
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            if needles.contains(where: { data.range(of: Data($0.utf8)) != nil }) { found.append(relative) }
        }
        return found
    }

    @Test func noFileLeftBehindHoldsTheKeyOrSecret_realKeyringDaemon() throws {
        let standIn = try StandIn()
        let session = try SecretServiceSession.start()
        let directory = try TemporaryDirectory()
        var environment = isolatedEnvironment(in: directory, extra: session.environment)
        let input = "api_key=\(StandIn.apiKey)\napi_secret=\(StandIn.apiSecret)\n"
        #expect(try runHelper(["vault", "keygen"], environment: environment).status == 0)
        for (profile, store) in [("keyring", "secret-service"), ("vault", "file")] {
            let login = try runHelper(["login", "--profile", profile, "--url", standIn.baseURL, "--client-name", StandIn.clientName,
                                       "--store", store, "--stdin"], environment: environment, input: input)
            #expect(login.status == 0, "\(login.stderr)")
        }
        for profile in ["keyring", "vault"] {
            _ = try runHelper(["clear"], environment: environment)
            #expect(try runHelper(["-v", "token", "--profile", profile], environment: environment).status == 0)
            #expect(try runHelper(["-v", "get"], environment: environment,
                                  input: "protocol=http\nhost=\(standIn.host)\nusername=\(profile)\n\n").status == 0)
        }
        _ = try runHelper(["status", "--json"], environment: environment)
        _ = try runHelper(["-v", "doctor", "--network"], environment: environment)
        environment["SYNOFIN_API_KEY"] = StandIn.apiKey
        environment["SYNOFIN_API_SECRET"] = StandIn.apiSecret
        environment["SYNOFIN_API_URL"] = standIn.baseURL
        environment["SYNOFIN_CLIENT_NAME"] = StandIn.clientName
        #expect(try runHelper(["-v", "token"], environment: environment).status == 0)

        #expect(files(under: directory.path, containing: [StandIn.apiKey, StandIn.apiSecret]) == [])
        #expect(files(under: session.directory.path, containing: [StandIn.apiKey, StandIn.apiSecret]) == [])
        // The scan itself must be able to fail: the vault opened with age holds them.
        let opened = try run("/usr/bin/age", ["-d", "-i", directory.file("config/synofin-credential/identity.txt"),
                                              directory.file("data/synofin-credential/vault.age")], environment: [:])
        #expect(opened.stdout.contains(StandIn.apiSecret))
    }
}
