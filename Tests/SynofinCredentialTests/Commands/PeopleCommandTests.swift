import Foundation
import Testing

/// `token`, `exec`, `status`, `clear`, `--help` and `--version` through the built binary.
@Suite struct PeopleCommandTests {
    @Test func tokenPrintsTheTokenAndANewline() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let result = try runHelper(["token"], environment: standIn.environmentProfile(in: directory))
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("\n"))
        #expect(result.stdout.split(separator: "\n").count == 1)
    }

    @Test func tokenJSONHasTheSpecFields() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let result = try runHelper(["token", "--json"], environment: standIn.environmentProfile(in: directory))
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["access_token", "token_type", "expires_at", "expires_in", "profile"])
        #expect(object["token_type"] as? String == "Bearer")
        #expect(object["profile"] as? String == "env")
        let expiresIn = try #require(object["expires_in"] as? Int)
        #expect((3590...3600).contains(expiresIn))
        let expiresAt = try #require(object["expires_at"] as? String)
        let parsed = try #require(ISO8601DateFormatter().date(from: expiresAt))
        #expect(abs(parsed.timeIntervalSinceNow - Double(expiresIn)) <= 5)
    }

    @Test func execPassesTheTokenAndURLAndReturnsTheExitStatus() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let environment = standIn.environmentProfile(in: directory)
        let result = try runHelper(
            ["exec", "--", "/bin/sh", "-c", "echo \"$SYNOFIN_ACCESS_TOKEN|$SYNOFIN_API_URL|${SYNOFIN_API_SECRET:-unset}\"; exit 7"],
            environment: environment)
        #expect(result.status == 7)
        let parts = result.stdout.trimmingCharacters(in: .newlines).split(separator: "|").map(String.init)
        let token = try runHelper(["token"], environment: environment).stdout.trimmingCharacters(in: .newlines)
        #expect(parts == [token, standIn.baseURL, "unset"])
    }

    @Test func execOfAMissingCommandExits127() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let result = try runHelper(["exec", "--", "no-such-command-here"], environment: standIn.environmentProfile(in: directory))
        #expect(result.status == 127)
        #expect(result.stderr.contains("no-such-command-here"))
    }

    @Test func statusShowsTheProfileAndItsTokenButNeverTheToken() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let environment = standIn.environmentProfile(in: directory)
        let token = try runHelper(["token"], environment: environment).stdout.trimmingCharacters(in: .newlines)
        let status = try runHelper(["status"], environment: environment)
        #expect(status.status == 0)
        #expect(status.stdout.contains("env (default)"))
        #expect(status.stdout.contains(standIn.baseURL))
        #expect(status.stdout.contains("valid, served until"))
        #expect(!status.stdout.contains(token))
        let json = try runHelper(["status", "--json"], environment: environment)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let profiles = try #require(object["profiles"] as? [[String: Any]])
        #expect(profiles.first?["token_state"] as? String == "valid")
        #expect(!json.stdout.contains(token))
    }

    @Test func clearDropsTheCachedToken() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let environment = standIn.environmentProfile(in: directory)
        _ = try runHelper(["token"], environment: environment)
        #expect(try runHelper(["clear"], environment: environment).status == 0)
        #expect(try runHelper(["status", "--json"], environment: environment).stdout.contains("\"token_state\":\"none\""))
        _ = try runHelper(["token"], environment: environment)
        #expect(standIn.tokenRequests == 2)
    }

    @Test(arguments: ["get", "store", "erase", "capability", "login", "logout", "token", "exec", "status", "clear", "doctor", "vault"])
    func everyCommandHasHelp(command: String) throws {
        let directory = try TemporaryDirectory()
        let result = try runHelper([command, "--help"], environment: isolatedEnvironment(in: directory))
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("usage: synofin-credential"))
    }

    @Test func versionIsPrinted() throws {
        let directory = try TemporaryDirectory()
        let result = try runHelper(["--version"], environment: isolatedEnvironment(in: directory))
        #expect(result.stdout.hasPrefix("synofin-credential "))
    }

    @Test func anUnknownOptionIsAUsageError() throws {
        let directory = try TemporaryDirectory()
        let result = try runHelper(["token", "--jsn"], environment: isolatedEnvironment(in: directory))
        #expect(result.status == 2)
        #expect(result.stderr.contains("--jsn"))
    }

    @Test func aBrokenConfigNamesTheFileAndLine() throws {
        let directory = try TemporaryDirectory()
        let environment = isolatedEnvironment(in: directory)
        try FileManager.default.createDirectory(atPath: directory.file("config/synofin-credential"), withIntermediateDirectories: true)
        try "[profile \"p\"]\n\turl = https://h.example\n\tclient-name = c\n\ttimeout = never\n"
            .write(toFile: directory.file("config/synofin-credential/config"), atomically: true, encoding: .utf8)
        let result = try runHelper(["get"], environment: environment, input: "protocol=https\nhost=h.example\n\n")
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("synofin-credential/config, line 4"))
    }
}
