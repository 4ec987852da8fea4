import Foundation
import Testing

/// The protocol operations other than `get`, through the built binary.
@Suite struct ProtocolOperationTests {
    @Test func capabilityListsVersionZeroAndAuthtype() throws {
        let directory = try TemporaryDirectory()
        let result = try runHelper(["capability"], environment: isolatedEnvironment(in: directory))
        #expect(result.status == 0)
        #expect(result.stdout == "version 0\ncapability authtype\n")
    }

    @Test func anUnknownOperationPrintsNothingAndExitsZero() throws {
        let directory = try TemporaryDirectory()
        let result = try runHelper(["frobnicate"], environment: isolatedEnvironment(in: directory), input: "protocol=https\n\n")
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.isEmpty)
    }

    @Test func noOperationIsAUsageError() throws {
        let directory = try TemporaryDirectory()
        let result = try runHelper([], environment: isolatedEnvironment(in: directory))
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("usage:"))
    }

    @Test func theOperationComesAfterTheOptions() throws {
        let directory = try TemporaryDirectory()
        let result = try runHelper(["--non-interactive", "-v", "capability"], environment: isolatedEnvironment(in: directory))
        #expect(result.stdout == "version 0\ncapability authtype\n")
    }

    @Test func storeKeepsNothingAndPrintsNothing() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let environment = standIn.environmentProfile(in: directory)
        let token = attributes(try runHelper(["get"], environment: environment, input: standIn.request).stdout)["password"]!
        let store = try runHelper(["store"], environment: environment,
                                  input: "protocol=http\nhost=\(standIn.host)\nusername=x\npassword=foreign\n\n")
        #expect(store.status == 0)
        #expect(store.stdout.isEmpty)
        let again = try runHelper(["get"], environment: environment, input: standIn.request)
        #expect(attributes(again.stdout)["password"] == token)
        #expect(standIn.tokenRequests == 1)
    }

    @Test func eraseWithTheCachedTokenDropsIt() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let environment = standIn.environmentProfile(in: directory)
        let token = attributes(try runHelper(["get"], environment: environment, input: standIn.request).stdout)["password"]!
        let erase = try runHelper(["erase"], environment: environment,
                                  input: "protocol=http\nhost=\(standIn.host)\nusername=\(StandIn.clientName)\npassword=\(token)\n\n")
        #expect(erase.status == 0 && erase.stdout.isEmpty)
        let again = try runHelper(["get"], environment: environment, input: standIn.request)
        #expect(attributes(again.stdout)["password"] != token)
        #expect(standIn.tokenRequests == 2)
    }

    @Test func eraseWithAnotherPasswordKeepsTheCachedToken() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let environment = standIn.environmentProfile(in: directory)
        let token = attributes(try runHelper(["get"], environment: environment, input: standIn.request).stdout)["password"]!
        _ = try runHelper(["erase"], environment: environment, input: "protocol=http\nhost=\(standIn.host)\npassword=not-ours\n\n")
        let again = try runHelper(["get"], environment: environment, input: standIn.request)
        #expect(attributes(again.stdout)["password"] == token)
        #expect(standIn.tokenRequests == 1)
    }

    @Test func eraseWithoutAPasswordDropsTheCachedToken() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let environment = standIn.environmentProfile(in: directory)
        _ = try runHelper(["get"], environment: environment, input: standIn.request)
        _ = try runHelper(["erase"], environment: environment, input: standIn.request)
        _ = try runHelper(["get"], environment: environment, input: standIn.request)
        #expect(standIn.tokenRequests == 2)
    }

    @Test func aMalformedRequestIsAnErrorWithEmptyStdout() throws {
        let directory = try TemporaryDirectory()
        let result = try runHelper(["get"], environment: isolatedEnvironment(in: directory), input: "protocol=https\nnonsense\n\n")
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("no '='"))
    }

    @Test func anOverlongLineIsAnErrorWithEmptyStdout() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let input = "protocol=http\npassword=" + String(repeating: "x", count: 70000) + "host=\(standIn.host)\n\n"
        let result = try runHelper(["get"], environment: standIn.environmentProfile(in: directory), input: input)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(standIn.tokenRequests == 0)
    }
}

/// Real git as the client: `git credential fill` runs the helper and reads its answer.
@Suite struct GitClientTests {
    func git(_ arguments: [String], environment: [String: String], input: String) throws -> RunResult {
        try run("/usr/bin/git", arguments, environment: environment, input: input, timeout: 60)
    }

    @Test func gitCredentialFillGetsTheTokenThroughTheHelperPath() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        var environment = standIn.environmentProfile(in: directory)
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        let result = try git(["-c", "credential.helper=", "-c", "credential.helper=!\(TestBinary.path)", "credential", "fill"],
                             environment: environment, input: "protocol=http\nhost=\(standIn.host)\n\n")
        #expect(result.status == 0, "\(result.stderr)")
        let answer = attributes(result.stdout)
        #expect(answer["username"] == StandIn.clientName)
        let direct = try runHelper(["token"], environment: environment)
        #expect(answer["password"] == direct.stdout.trimmingCharacters(in: .newlines))
    }

    @Test func gitFindsTheHelperAsGitCredentialSynofinOnPath() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let bin = directory.file("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin + "/git-credential-synofin", withDestinationPath: TestBinary.path)
        var environment = standIn.environmentProfile(in: directory)
        environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        let result = try git(["-c", "credential.helper=", "-c", "credential.\(standIn.baseURL).helper=synofin", "credential", "fill"],
                             environment: environment, input: "url=\(standIn.baseURL)/repo.git\n\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(attributes(result.stdout)["username"] == StandIn.clientName)
        #expect(attributes(result.stdout)["password"]?.isEmpty == false)
    }

    @Test func gitFallsThroughWhenNoProfileMatches() throws {
        let directory = try TemporaryDirectory()
        var environment = isolatedEnvironment(in: directory)
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        let result = try git(["-c", "credential.helper=", "-c", "credential.helper=!\(TestBinary.path)", "credential", "fill"],
                             environment: environment, input: "protocol=https\nhost=unknown.example\n\n")
        // Nothing from us, no prompt allowed: git gives up with its own message.
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("terminal prompts disabled"))
    }
}
