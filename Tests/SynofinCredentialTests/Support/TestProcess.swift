import Foundation
import Testing

/// The built `synofin-credential`, found beside the test bundle so any `--scratch-path` works.
enum TestBinary {
    static let path: String = {
        let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testExecutable.deletingLastPathComponent()
        // The bundle is <products>/synofin-credentialPackageTests.xctest on Linux.
        while !directory.path.isEmpty && directory.path != "/" {
            let candidate = directory.appendingPathComponent("synofin-credential").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        fatalError("synofin-credential is not built next to the tests; run `swift build` first")
    }()

    /// The repository root, for fixtures and contrib scripts.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// What a finished child process left behind.
struct RunResult {
    let status: Int32
    let stdout: String
    let stderr: String
    let seconds: Double
}

/// Runs `executable` with exactly `environment`, feeding `input` on stdin (then closing it,
/// unless `keepInputOpen`), and kills it after `timeout` seconds so no test can hang.
func run(
    _ executable: String, _ arguments: [String], environment: [String: String], input: String? = nil,
    keepInputOpen: Bool = false, timeout: Double = 60
) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    let outData = DataBox(), errData = DataBox()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outData.data = stdout.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { errData.data = stderr.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let started = Date()
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    if !keepInputOpen { try? stdin.fileHandleForWriting.close() }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(2_000) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? stdin.fileHandleForWriting.close()
        _ = group.wait(timeout: .now() + 5)
        Issue.record("\(executable) \(arguments) did not finish within \(timeout) s")
        return RunResult(status: -1, stdout: "", stderr: "killed after \(timeout) s", seconds: timeout)
    }
    process.waitUntilExit()
    if keepInputOpen { try? stdin.fileHandleForWriting.close() }
    _ = group.wait(timeout: .now() + 10)
    return RunResult(
        status: process.terminationStatus,
        stdout: String(decoding: outData.data, as: UTF8.self),
        stderr: String(decoding: errData.data, as: UTF8.self),
        seconds: Date().timeIntervalSince(started))
}

/// Written by one reader thread, read after `group.wait`.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// A private directory removed when the test lets go of it.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/synofin-test-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: created)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// An environment that touches nothing of the real user's: HOME and every XDG directory inside
/// `directory`, no D-Bus session, never a prompt.
func isolatedEnvironment(in directory: TemporaryDirectory, extra: [String: String] = [:]) -> [String: String] {
    var environment: [String: String] = [
        "HOME": directory.file("home"),
        "XDG_CONFIG_HOME": directory.file("config"),
        "XDG_DATA_HOME": directory.file("data"),
        "XDG_CACHE_HOME": directory.file("cache"),
        "XDG_RUNTIME_DIR": directory.file("runtime"),
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "SYNOFIN_CREDENTIAL_NONINTERACTIVE": "1",
        "LANG": "C.UTF-8",
    ]
    for name in ["home", "config", "data", "cache", "runtime"] {
        try? FileManager.default.createDirectory(atPath: directory.file(name), withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
    }
    environment.merge(extra) { _, new in new }
    return environment
}

/// Runs the built helper. Every run is also checked for the rule that matters most: the API
/// key and secret never appear in anything it prints, whatever the test is about.
func runHelper(
    _ arguments: [String], environment: [String: String], input: String? = nil, keepInputOpen: Bool = false,
    timeout: Double = 60, sourceLocation: SourceLocation = #_sourceLocation
) throws -> RunResult {
    let result = try run(TestBinary.path, arguments, environment: environment, input: input,
                         keepInputOpen: keepInputOpen, timeout: timeout)
    for secret in [StandIn.apiKey, StandIn.apiSecret] {
        #expect(!result.stdout.contains(secret), "stdout shows a secret", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains(secret), "stderr shows a secret", sourceLocation: sourceLocation)
    }
    return result
}

/// The parsed `key=value` lines of a `get` answer.
func attributes(_ output: String) -> [String: String] {
    var result: [String: String] = [:]
    for line in output.split(separator: "\n") {
        guard let equals = line.firstIndex(of: "=") else { continue }
        result[String(line[..<equals])] = String(line[line.index(after: equals)...])
    }
    return result
}
