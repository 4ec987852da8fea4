import Foundation
import Testing

/// `get` end to end: the built binary against the LMS stand-in (a real HTTP server process).
@Suite struct GetAgainstStandInTests {
    @Test func getReturnsTheTokenTheStandInIssued() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let result = try runHelper(["get"], environment: standIn.environmentProfile(in: directory), input: standIn.request)
        #expect(result.status == 0, "\(result.stderr)")
        let answer = attributes(result.stdout)
        #expect(answer["username"] == StandIn.clientName)
        let token = try #require(answer["password"])
        // The stand-in accepts only tokens it issued: proof that this is one of them.
        let check = try run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)",
                                              standIn.baseURL + "/api/v1/whoami"], environment: [:])
        #expect(check.stdout == "200")
        let expiry = try #require(answer["password_expiry_utc"].flatMap { Int64($0) })
        let expected = Int64(Date().timeIntervalSince1970) + 3600 - 60
        #expect(abs(expiry - expected) <= 5)
        #expect(answer["authtype"] == nil, "Bearer form only when asked for")
        #expect(result.stdout.split(separator: "\n").count == 3)
    }

    @Test func aSecondGetIsServedFromTheCacheWithoutReachingTheServer() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let environment = standIn.environmentProfile(in: directory)
        let first = try runHelper(["get"], environment: environment, input: standIn.request)
        let second = try runHelper(["get"], environment: environment, input: standIn.request)
        #expect(first.status == 0 && second.status == 0)
        #expect(attributes(first.stdout)["password"] == attributes(second.stdout)["password"])
        #expect(standIn.tokenRequests == 1)
    }

    @Test func theExchangeIsAnEmptyPostWithBasicAuthAndClientName() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        _ = try runHelper(["get"], environment: standIn.environmentProfile(in: directory), input: standIn.request)
        let requests = try #require(try standIn.stats()["requests"] as? [[String: Any]])
        let request = try #require(requests.first)
        #expect(request["method"] as? String == "POST")
        #expect(request["path"] as? String == "/oauth/authorization")
        #expect(request["client_name"] as? String == StandIn.clientName)
        #expect(request["authorization_scheme"] as? String == "Basic")
        #expect("\(request["content_length"] ?? "")" == "0")
        #expect(request["credentials_valid"] as? Bool == true)
    }

    @Test func theBearerFormComesOnlyWhenTheRequestAsksForAuthtype() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let input = "capability[]=authtype\nprotocol=http\nhost=\(standIn.host)\n\n"
        let result = try runHelper(["get"], environment: standIn.environmentProfile(in: directory), input: input)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "capability[]=authtype")
        let answer = attributes(result.stdout)
        #expect(answer["authtype"] == "Bearer")
        #expect(answer["credential"] == answer["password"])
        #expect(answer["ephemeral"] == "1")
    }

    @Test func aRequestForAnotherHostGetsNothingAndExitsZero() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let result = try runHelper(["get"], environment: standIn.environmentProfile(in: directory),
                                   input: "protocol=https\nhost=github.com\n\n")
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(standIn.tokenRequests == 0)
    }

    @Test func aPipeLeftOpenAfterTheBlankLineDoesNotHang() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let result = try runHelper(["get"], environment: standIn.environmentProfile(in: directory), input: standIn.request,
                                   keepInputOpen: true, timeout: 15)
        #expect(result.status == 0)
        #expect(attributes(result.stdout)["password"] != nil)
    }

    @Test func thirtyTwoConcurrentGetsMakeOneExchangeAndShareItsToken() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let environment = standIn.environmentProfile(in: directory)
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 32) { _ in
            let result = try? runHelper(["get"], environment: environment, input: standIn.request)
            results.append(result)
        }
        #expect(results.items.count == 32)
        #expect(results.items.allSatisfy { $0?.status == 0 })
        let tokens = Set(results.items.compactMap { $0.flatMap { attributes($0.stdout)["password"] } })
        #expect(tokens.count == 1)
        #expect(standIn.tokenRequests == 1)
    }

    @Test func getFromTheCachePaysNoExchangeEvenWhenTheServerIsGone() throws {
        var standIn: StandIn? = try StandIn()
        let directory = try TemporaryDirectory()
        let environment = standIn!.environmentProfile(in: directory)
        let request = standIn!.request
        let first = try runHelper(["get"], environment: environment, input: request)
        standIn = nil
        let second = try runHelper(["get"], environment: environment, input: request)
        #expect(second.status == 0)
        #expect(attributes(second.stdout)["password"] == attributes(first.stdout)["password"])
    }

    @Test func aNewAPIKeyNeverMeetsTheOldToken() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let first = try runHelper(["get"], environment: standIn.environmentProfile(in: directory), input: standIn.request)
        #expect(first.status == 0)
        // Same URL and client, another key: the cached token must not be served for it.
        let other = try runHelper(["get"], environment: standIn.environmentProfile(in: directory, extra: ["SYNOFIN_API_KEY": "another-key"]),
                                  input: standIn.request)
        #expect(other.status == 3)
        #expect(other.stdout.isEmpty)
        #expect(standIn.tokenRequests == 2)
    }
}

/// Thread-safe collection of results from concurrent runs.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var items: [RunResult?] = []

    func append(_ item: RunResult?) {
        lock.lock()
        items.append(item)
        lock.unlock()
    }
}
