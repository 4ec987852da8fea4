import Foundation
import Testing

/// `login`, `get` and `logout` with a stored profile, against the stand-in and a real
/// gnome-keyring-daemon on a private D-Bus session.
@Suite struct LoginWithSecretServiceTests {
    let input = "api_key=\(StandIn.apiKey)\napi_secret=\(StandIn.apiSecret)\n"

    func login(_ standIn: StandIn, store: String, environment: [String: String], input: String? = nil) throws -> RunResult {
        try runHelper(["login", "--profile", "lms", "--url", standIn.baseURL, "--client-name", StandIn.clientName,
                       "--store", store, "--stdin"], environment: environment, input: input ?? self.input)
    }

    @Test func aVerifiedLoginThenAColdGetReadsTheKeyringOnce_realKeyringDaemon() throws {
        let standIn = try StandIn()
        let session = try SecretServiceSession.start()
        let directory = try TemporaryDirectory()
        let environment = isolatedEnvironment(in: directory, extra: session.environment)
        let enrolled = try login(standIn, store: "secret-service", environment: environment)
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        #expect(enrolled.stderr.contains("verified"))
        #expect(standIn.tokenRequests == 1)
        // The token from the verifying exchange is cached: the first get needs no exchange.
        let cached = try runHelper(["get"], environment: environment, input: standIn.request)
        #expect(cached.status == 0)
        #expect(standIn.tokenRequests == 1)
        // A cold get reads the key and secret from the keyring and exchanges them.
        #expect(try runHelper(["clear"], environment: environment).status == 0)
        let cold = try runHelper(["get"], environment: environment, input: standIn.request)
        #expect(cold.status == 0, "\(cold.stderr)")
        #expect(attributes(cold.stdout)["username"] == StandIn.clientName)
        #expect(standIn.tokenRequests == 2)
        let config = try String(contentsOfFile: directory.file("config/synofin-credential/config"), encoding: .utf8)
        #expect(config.contains("store = secret-service"))
        #expect(!config.contains(StandIn.apiKey) && !config.contains(StandIn.apiSecret))
    }

    @Test func storeAutoChoosesTheSecretServiceWhenItAnswers_realKeyringDaemon() throws {
        let standIn = try StandIn()
        let session = try SecretServiceSession.start()
        let directory = try TemporaryDirectory()
        let result = try login(standIn, store: "auto", environment: isolatedEnvironment(in: directory, extra: session.environment))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("in the Secret Service"))
        let found = try session.secretTool(["search", "profile", "lms"])
        #expect((found.stdout + found.stderr).contains("Synofin LMS API key (profile lms)"))
    }

    @Test func rejectedCredentialsExit3AndStoreNothing_realKeyringDaemon() throws {
        let standIn = try StandIn()
        let session = try SecretServiceSession.start()
        let directory = try TemporaryDirectory()
        let environment = isolatedEnvironment(in: directory, extra: session.environment)
        let result = try login(standIn, store: "secret-service", environment: environment,
                               input: "api_key=\(StandIn.apiKey)\napi_secret=wrong-secret\n")
        #expect(result.status == 3)
        #expect(!FileManager.default.fileExists(atPath: directory.file("config/synofin-credential/config")))
        let found = try session.secretTool(["search", "profile", "lms"])
        #expect(!(found.stdout + found.stderr).contains("Synofin"))
    }

    @Test func eraseNeverDeletesTheKeyOrSecret_realKeyringDaemon() throws {
        let standIn = try StandIn()
        let session = try SecretServiceSession.start()
        let directory = try TemporaryDirectory()
        let environment = isolatedEnvironment(in: directory, extra: session.environment)
        #expect(try login(standIn, store: "secret-service", environment: environment).status == 0)
        let token = attributes(try runHelper(["get"], environment: environment, input: standIn.request).stdout)["password"]!
        _ = try runHelper(["erase"], environment: environment, input: "protocol=http\nhost=\(standIn.host)\npassword=\(token)\n\n")
        let found = try session.secretTool(["search", "profile", "lms"])
        #expect((found.stdout + found.stderr).contains("Synofin LMS API key (profile lms)"))
        let again = try runHelper(["get"], environment: environment, input: standIn.request)
        #expect(again.status == 0)
        #expect(attributes(again.stdout)["password"] != token)
    }

    @Test func statusSaysTheKeyringIsLockedWithoutUnlockingIt_realKeyringDaemon() throws {
        let standIn = try StandIn()
        let session = try SecretServiceSession.start()
        let directory = try TemporaryDirectory()
        let environment = isolatedEnvironment(in: directory, extra: session.environment)
        #expect(try login(standIn, store: "secret-service", environment: environment).status == 0)
        try session.lockDefaultCollection()
        let status = try runHelper(["status", "--json"], environment: environment)
        #expect(status.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let profile = try #require((object["profiles"] as? [[String: Any]])?.first)
        #expect(profile["store_locked"] as? Bool == true)
        #expect(profile["store_usable"] as? Bool == false)
        // Still locked afterwards: a get without a prompt must fail as locked.
        let get = try runHelper(["clear"], environment: environment)
        #expect(get.status == 0)
        let after = try runHelper(["get"], environment: environment, input: standIn.request)
        #expect(after.status == 4)
        #expect(after.stderr.contains("locked"))
    }

    @Test func loginRefusesKeysOnTheCommandLine() throws {
        let directory = try TemporaryDirectory()
        let result = try runHelper(["login", "--url", "https://h.example", "--client-name", "c", "--api-key=x"],
                                   environment: isolatedEnvironment(in: directory))
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown option"))
    }

    @Test func loginWithoutATerminalOrStdinSaysHowToPassThem() throws {
        let directory = try TemporaryDirectory()
        let result = try runHelper(["login", "--url", "https://h.example", "--client-name", "c", "--no-verify", "--store", "secret-service"],
                                   environment: isolatedEnvironment(in: directory))
        #expect(result.status == 2)
        #expect(result.stderr.contains("--stdin"))
    }
}
