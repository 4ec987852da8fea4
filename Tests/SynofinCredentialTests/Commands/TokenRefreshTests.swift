import Foundation
import Testing

/// SPEC's token windows, end to end: the cached token's expiry is moved in its cache file to
/// stand for time passing.
@Suite struct TokenRefreshTests {
    /// Sets the expiry of the one cached token under `directory` to `secondsLeft` from now.
    func age(cacheIn directory: TemporaryDirectory, secondsLeft: Int) throws {
        let cacheDirectory = directory.file("runtime/synofin-credential")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: cacheDirectory).first { $0.hasSuffix(".json") })
        let path = cacheDirectory + "/" + name
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        object["expires_at"] = Int(Date().timeIntervalSince1970) + secondsLeft
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
    }

    func token(_ environment: [String: String], _ standIn: StandIn) throws -> RunResult {
        try runHelper(["get"], environment: environment, input: standIn.request)
    }

    @Test func insideFiveMinutesOfExpiryANewTokenIsFetched() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let environment = standIn.environmentProfile(in: directory)
        let first = attributes(try token(environment, standIn).stdout)["password"]
        try age(cacheIn: directory, secondsLeft: 200)
        let second = attributes(try token(environment, standIn).stdout)["password"]
        #expect(second != nil && second != first)
        #expect(standIn.tokenRequests == 2)
    }

    @Test func whenTheRefreshFailsTheOldTokenIsStillServed() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let environment = standIn.environmentProfile(in: directory)
        let first = attributes(try token(environment, standIn).stdout)["password"]
        try age(cacheIn: directory, secondsLeft: 200)
        try standIn.setFaults([["kind": "status", "status": 400]])
        let second = try token(environment, standIn)
        #expect(second.status == 0)
        #expect(attributes(second.stdout)["password"] == first)
        #expect(second.stderr.contains("using the cached one"))
    }

    @Test func aTokenWithUnderSixtySecondsLeftIsNeverServed() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let environment = standIn.environmentProfile(in: directory)
        _ = try token(environment, standIn)
        try age(cacheIn: directory, secondsLeft: 50)
        try standIn.setFaults([["kind": "status", "status": 400]])
        let second = try token(environment, standIn)
        #expect(second.status == 1)
        #expect(second.stdout.isEmpty)
    }

    @Test func anExpiredTokenIsReplacedByANewOne() throws {
        let standIn = try StandIn()
        let directory = try TemporaryDirectory()
        let environment = standIn.environmentProfile(in: directory)
        let first = attributes(try token(environment, standIn).stdout)["password"]
        try age(cacheIn: directory, secondsLeft: -10)
        let second = attributes(try token(environment, standIn).stdout)
        #expect(second["password"] != first)
        let expiry = try #require(second["password_expiry_utc"].flatMap { Int64($0) })
        #expect(expiry > Int64(Date().timeIntervalSince1970) + 3000)
    }
}
