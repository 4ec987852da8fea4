import Foundation
import Testing

/// Per-profile settings (`timeout`, `ca-file`, `token-path`, `username`) end to end. The profile
/// keeps its key and secret in a real gnome-keyring-daemon on a private D-Bus session.
@Suite struct ProfileSettingsTests {
    /// Enrols profile `lms` for `standIn` without an exchange, then appends `settings` to its section.
    func enrol(_ standIn: StandIn, _ session: SecretServiceSession, in directory: TemporaryDirectory,
               settings: [String] = []) throws -> [String: String] {
        var environment = isolatedEnvironment(in: directory, extra: session.environment)
        if let caFile = standIn.caFile { environment["SYNOFIN_TEST_CA"] = caFile }
        let login = try runHelper(["login", "--profile", "lms", "--url", standIn.baseURL, "--client-name", StandIn.clientName,
                                   "--store", "secret-service", "--stdin", "--no-verify"],
                                  environment: environment, input: "api_key=\(StandIn.apiKey)\napi_secret=\(StandIn.apiSecret)\n")
        try #require(login.status == 0, "\(login.stderr)")
        let config = directory.file("config/synofin-credential/config")
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try (text + settings.map { "\t\($0)\n" }.joined()).write(toFile: config, atomically: true, encoding: .utf8)
        return environment
    }

    @Test func aHungServerIsCutOffAtTheProfileTimeout_realKeyringDaemon() throws {
        let standIn = try StandIn()
        let session = try SecretServiceSession.start()
        let directory = try TemporaryDirectory()
        let environment = try enrol(standIn, session, in: directory, settings: ["timeout = 2"])
        try standIn.setFaults([["kind": "hang"]])
        let result = try runHelper(["get"], environment: environment, input: standIn.request, timeout: 20)
        #expect(result.status == 5, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.seconds >= 1.9 && result.seconds < 6, "took \(result.seconds) s")
        #expect(result.stderr.contains("timed out") || result.stderr.contains("Timeout"), "\(result.stderr)")
    }

    @Test func caFileInTheProfileIsTrusted_realKeyringDaemon() throws {
        let standIn = try StandIn(https: true)
        let session = try SecretServiceSession.start()
        let directory = try TemporaryDirectory()
        let environment = try enrol(standIn, session, in: directory, settings: ["ca-file = \(standIn.caFile!)"])
        let result = try runHelper(["get"], environment: environment, input: standIn.request)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(attributes(result.stdout)["password"] != nil)
    }

    @Test func aMissingCAFileIsAConfigurationError_realKeyringDaemon() throws {
        let standIn = try StandIn(https: true)
        let session = try SecretServiceSession.start()
        let directory = try TemporaryDirectory()
        let environment = try enrol(standIn, session, in: directory, settings: ["ca-file = \(directory.file("nope.pem"))"])
        let result = try runHelper(["get"], environment: environment, input: standIn.request)
        #expect(result.status == 2)
        #expect(result.stderr.contains("nope.pem"))
        #expect(standIn.tokenRequests == 0)
    }

    @Test func tokenPathAndUsernameAreUsed_realKeyringDaemon() throws {
        let standIn = try StandIn()
        let session = try SecretServiceSession.start()
        let directory = try TemporaryDirectory()
        let environment = try enrol(standIn, session, in: directory, settings: ["token-path = /v2/oauth/authorization", "username = robot"])
        let result = try runHelper(["get"], environment: environment, input: standIn.request)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(attributes(result.stdout)["username"] == "robot")
        let requests = try #require(try standIn.stats()["requests"] as? [[String: Any]])
        #expect(requests.first?["path"] as? String == "/v2/oauth/authorization")
        let matched = try runHelper(["get"], environment: environment, input: "protocol=http\nhost=\(standIn.host)\nusername=robot\n\n")
        #expect(attributes(matched.stdout)["password"] != nil)
    }
}
