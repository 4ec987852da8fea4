import Foundation
import Testing

/// Each fault of the stand-in gives SPEC's exit code, an empty stdout and a useful message.
@Suite struct ExchangeFaultTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let fault: String
        let exitCode: Int32
        let message: String
        let tokenRequests: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "401 is a rejection", fault: #"{"kind": "status", "status": 401}"#, exitCode: 3, message: "rejected (HTTP 401)", tokenRequests: 1),
        Case(name: "403 is a rejection", fault: #"{"kind": "status", "status": 403}"#, exitCode: 3, message: "rejected (HTTP 403)", tokenRequests: 1),
        Case(name: "response false is a rejection", fault: #"{"kind": "response_false"}"#, exitCode: 3, message: "Account suspended", tokenRequests: 1),
        Case(name: "an error object's message is shown", fault: #"{"kind": "error_object"}"#, exitCode: 3, message: "Credentials revoked", tokenRequests: 1),
        Case(name: "data.error_message is shown", fault: #"{"kind": "error_message"}"#, exitCode: 3, message: "API secret expired", tokenRequests: 1),
        Case(name: "404 is not retried", fault: #"{"kind": "status", "status": 404}"#, exitCode: 1, message: "HTTP 404", tokenRequests: 1),
        Case(name: "400 is not retried", fault: #"{"kind": "status", "status": 400}"#, exitCode: 1, message: "HTTP 400", tokenRequests: 1),
        Case(name: "503 three times fails after three tries", fault: #"{"kind": "status", "status": 503, "times": 3}"#, exitCode: 5, message: "HTTP 503", tokenRequests: 3),
        Case(name: "a dropped connection three times is a network error", fault: #"{"kind": "drop", "times": 3}"#, exitCode: 5, message: "cannot reach", tokenRequests: 3),
        Case(name: "a malformed body is a server error", fault: #"{"kind": "malformed"}"#, exitCode: 5, message: "not JSON", tokenRequests: 1),
        Case(name: "a body over 1 MiB is refused", fault: #"{"kind": "oversized"}"#, exitCode: 5, message: "larger than 1024 KiB", tokenRequests: 1),
        Case(name: "a token with CRLF is refused", fault: #"{"kind": "token", "value": "crlf"}"#, exitCode: 5, message: "control characters", tokenRequests: 1),
        Case(name: "a token with LF is refused", fault: #"{"kind": "token", "value": "lf"}"#, exitCode: 5, message: "control characters", tokenRequests: 1),
        Case(name: "a token with NUL is refused", fault: #"{"kind": "token", "value": "nul"}"#, exitCode: 5, message: "control characters", tokenRequests: 1),
        Case(name: "a token with ESC is refused", fault: #"{"kind": "token", "value": "control"}"#, exitCode: 5, message: "control characters", tokenRequests: 1),
        Case(name: "an empty token is refused", fault: #"{"kind": "token", "value": "empty"}"#, exitCode: 5, message: "empty", tokenRequests: 1),
        Case(name: "a missing token is refused", fault: #"{"kind": "token", "value": "missing"}"#, exitCode: 5, message: "access_token is missing", tokenRequests: 1),
        Case(name: "a numeric token is refused", fault: #"{"kind": "token", "value": "number"}"#, exitCode: 5, message: "not a string", tokenRequests: 1),
        Case(name: "expires_in zero is refused", fault: #"{"kind": "expires", "value": 0}"#, exitCode: 5, message: "lives 0 s", tokenRequests: 1),
        Case(name: "a missing expires_in is refused", fault: #"{"kind": "expires", "value": null}"#, exitCode: 5, message: "expires_in is missing", tokenRequests: 1),
    ]

    @Test(arguments: cases)
    func aFaultGivesItsExitCodeAnEmptyStdoutAndAMessage(_ testCase: Case) throws {
        let standIn = try StandIn()
        try standIn.setFaults([try JSONSerialization.jsonObject(with: Data(testCase.fault.utf8)) as! [String: Any]])
        let directory = try TemporaryDirectory()
        let result = try runHelper(["get"], environment: standIn.environmentProfile(in: directory), input: standIn.request)
        #expect(result.status == testCase.exitCode, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(testCase.message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line on stderr: \(result.stderr)")
        #expect(standIn.tokenRequests == testCase.tokenRequests)
    }

    @Test func serverErrorsAreRetriedAndASuccessAfterThemWins() throws {
        let standIn = try StandIn()
        try standIn.setFaults([["kind": "status", "status": 502, "times": 2]])
        let directory = try TemporaryDirectory()
        let result = try runHelper(["get"], environment: standIn.environmentProfile(in: directory), input: standIn.request)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(attributes(result.stdout)["password"] != nil)
        #expect(standIn.tokenRequests == 3)
    }

    @Test func retryAfterIsHonoured() throws {
        let standIn = try StandIn()
        try standIn.setFaults([["kind": "status", "status": 429, "retry_after": 2]])
        let directory = try TemporaryDirectory()
        let result = try runHelper(["get"], environment: standIn.environmentProfile(in: directory), input: standIn.request)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.seconds >= 2)
        #expect(standIn.tokenRequests == 2)
    }

    @Test(arguments: ["expires_string", "long", "no_content_type", "chunked", "delay"])
    func anOddButValidAnswerIsAccepted(kind: String) throws {
        let standIn = try StandIn()
        var fault: [String: Any] = ["kind": kind]
        if kind == "long" { fault = ["kind": "token", "value": "long"] }
        if kind == "delay" { fault["seconds"] = 0.5 }
        try standIn.setFaults([fault])
        let directory = try TemporaryDirectory()
        let result = try runHelper(["get"], environment: standIn.environmentProfile(in: directory), input: standIn.request)
        #expect(result.status == 0, "\(result.stderr)")
        let token = try #require(attributes(result.stdout)["password"])
        #expect(token.count >= (kind == "long" ? 10000 : 20))
        if kind == "expires_string" {
            let expiry = try #require(attributes(result.stdout)["password_expiry_utc"].flatMap { Int64($0) })
            #expect(abs(expiry - (Int64(Date().timeIntervalSince1970) + 3540)) <= 5)
        }
    }

    /// The env profile pointed at a URL where no stand-in runs.
    func environmentProfile(url: String, in directory: TemporaryDirectory) -> [String: String] {
        isolatedEnvironment(in: directory, extra: [
            "SYNOFIN_API_KEY": StandIn.apiKey, "SYNOFIN_API_SECRET": StandIn.apiSecret,
            "SYNOFIN_API_URL": url, "SYNOFIN_CLIENT_NAME": "c",
        ])
    }

    @Test func plainHTTPToANonLoopbackHostIsRefusedBeforeSendingAnything() throws {
        let directory = try TemporaryDirectory()
        let environment = environmentProfile(url: "http://192.0.2.1", in: directory)
        let result = try runHelper(["get"], environment: environment, input: "protocol=http\nhost=192.0.2.1\n\n", timeout: 10)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("plain http"))
    }

    @Test func anUnreachableServerIsANetworkError() throws {
        let directory = try TemporaryDirectory()
        // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
        let environment = environmentProfile(url: "http://127.0.0.1:9", in: directory)
        let result = try runHelper(["get"], environment: environment, input: "protocol=http\nhost=127.0.0.1:9\n\n", timeout: 30)
        #expect(result.status == 5)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("3 tries"))
    }
}

/// HTTPS through libcurl against the stand-in with a throw-away CA.
@Suite struct HTTPSTests {
    @Test func anHTTPSStandInIsRefusedWithoutItsCA() throws {
        let standIn = try StandIn(https: true)
        let directory = try TemporaryDirectory()
        let result = try runHelper(["get"], environment: standIn.environmentProfile(in: directory), input: standIn.request)
        #expect(result.status == 5)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("TLS"), "\(result.stderr)")
        #expect(standIn.tokenRequests == 0)
    }

    @Test func anHTTPSStandInIsAcceptedWithSSLCertFile() throws {
        let standIn = try StandIn(https: true)
        let directory = try TemporaryDirectory()
        let environment = standIn.environmentProfile(in: directory, extra: ["SSL_CERT_FILE": standIn.caFile!])
        let result = try runHelper(["get"], environment: environment, input: standIn.request)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(attributes(result.stdout)["password"] != nil)
    }
}
