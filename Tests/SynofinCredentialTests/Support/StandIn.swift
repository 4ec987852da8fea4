import Foundation
import Testing

/// The LMS stand-in (contrib/lms-stand-in) running for one test: started on a free loopback
/// port, faults set over its control endpoint, stopped on deinit.
final class StandIn {
    static let script = TestBinary.repositoryRoot.appendingPathComponent("contrib/lms-stand-in/lms_stand_in.py").path
    static let makeCA = TestBinary.repositoryRoot.appendingPathComponent("contrib/lms-stand-in/make-test-ca.sh").path

    /// Test credentials: stand-in values, but treated like real secrets (never on a command line).
    static let apiKey = "stand-in-key-7f3a9c"
    static let apiSecret = "stand-in-secret-d41e0b"
    static let clientName = "acme-mfi"

    let directory: TemporaryDirectory
    let process: Process
    let port: Int
    let scheme: String
    /// The throw-away CA for HTTPS stand-ins.
    let caFile: String?

    var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }
    var host: String { "127.0.0.1:\(port)" }

    init(https: Bool = false, expiresIn: Int = 3600, faults: [String] = []) throws {
        directory = try TemporaryDirectory()
        var arguments = [Self.script, "--quiet", "--exit-with-parent", "--port", "0", "--port-file", directory.file("port"),
                         "--accounts-file", directory.file("accounts"), "--expires-in", String(expiresIn)]
        try "\(Self.apiKey):\(Self.apiSecret):\(Self.clientName)\n".write(
            toFile: directory.file("accounts"), atomically: true, encoding: .utf8)
        if https {
            let result = try run("/bin/sh", [Self.makeCA, directory.file("tls")],
                                 environment: ProcessInfo.processInfo.environment, timeout: 30)
            try #require(result.status == 0, "make-test-ca.sh failed: \(result.stderr)")
            arguments += ["--tls-cert", directory.file("tls/server.pem"), "--tls-key", directory.file("tls/server-key.pem")]
            caFile = directory.file("tls/ca.pem")
        } else {
            caFile = nil
        }
        for fault in faults { arguments += ["--fault", fault] }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        scheme = https ? "https" : "http"
        let deadline = Date().addingTimeInterval(15)
        var found: Int?
        while found == nil && Date() < deadline && process.isRunning {
            if let text = try? String(contentsOfFile: directory.file("port"), encoding: .utf8) {
                found = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            if found == nil { usleep(10_000) }
        }
        guard let found else {
            kill(process.processIdentifier, SIGKILL)
            throw StandInError.didNotStart
        }
        port = found
    }

    deinit {
        // SIGKILL: threads of the test runner block SIGTERM, and children inherit that mask.
        kill(process.processIdentifier, SIGKILL)
        // Bounded: a test must never hang on its fixture.
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(1_000) }
    }

    enum StandInError: Error { case didNotStart, badControlAnswer }

    /// Replaces the fault queue; each fault is a JSON object as the stand-in's README describes.
    func setFaults(_ faults: [[String: Any]]) throws {
        _ = try control("POST", "/_stand-in/faults", body: ["faults": faults])
    }

    /// What the stand-in counted: token requests and the record of each.
    func stats() throws -> [String: Any] {
        try control("GET", "/_stand-in/stats", body: nil)
    }

    var tokenRequests: Int { ((try? stats())?["token_requests"] as? Int) ?? -1 }

    private func control(_ method: String, _ path: String, body: [String: Any]?) throws -> [String: Any] {
        // The control endpoint is plain HTTP or HTTPS like the token endpoint; curl does both.
        var arguments = ["-sS", "--max-time", "10", "-X", method, baseURL + path]
        if let caFile { arguments += ["--cacert", caFile] }
        if let body {
            arguments += ["-H", "Content-Type: application/json", "--data-binary",
                          String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)]
        }
        let result = try run("/usr/bin/curl", arguments, environment: ["PATH": "/usr/bin:/bin"], timeout: 20)
        guard result.status == 0,
              let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        else { throw StandInError.badControlAnswer }
        return object
    }

    /// The environment of the `env` profile pointing at this stand-in.
    func environmentProfile(in directory: TemporaryDirectory, extra: [String: String] = [:]) -> [String: String] {
        var variables = [
            "SYNOFIN_API_KEY": Self.apiKey, "SYNOFIN_API_SECRET": Self.apiSecret,
            "SYNOFIN_API_URL": baseURL, "SYNOFIN_CLIENT_NAME": Self.clientName,
        ]
        variables.merge(extra) { _, new in new }
        return isolatedEnvironment(in: directory, extra: variables)
    }

    /// A git credential request for this stand-in.
    var request: String { "protocol=\(scheme)\nhost=\(host)\n\n" }
}
