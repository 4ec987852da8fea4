/// The exit codes of SPEC.md: scripts branch on them, so each has one meaning only.
public enum ExitCode: Int32, Sendable {
    case success = 0
    /// Anything not covered below.
    case failure = 1
    /// Bad command line or configuration: the user must change what they typed or wrote.
    case usage = 2
    /// The LMS rejected the API key or secret (401/403 or `response: false`).
    case rejected = 3
    /// No usable secret store, or it is locked and we may not prompt.
    case storeUnavailable = 4
    /// Network, TLS, timeout or server error, after retries.
    case network = 5
}

/// An error a person reads. `message` says what went wrong and, where we know it, how to fix it;
/// it never holds a secret. Every error that reaches `main` conforms, so each has its exit code.
public protocol UserFacingError: Error {
    var exitCode: ExitCode { get }
    var message: String { get }
    /// The process exit status; `exitCode` unless an error must mimic another tool (`exec`'s 127).
    var processStatus: Int32 { get }
}

extension UserFacingError {
    public var processStatus: Int32 { exitCode.rawValue }
}

/// A usage or configuration mistake (exit 2).
public struct UsageError: UserFacingError {
    public let message: String
    public var exitCode: ExitCode { .usage }
    public init(_ message: String) { self.message = message }
}

/// A failure with no more specific category (exit 1).
public struct GeneralError: UserFacingError {
    public let message: String
    public var exitCode: ExitCode { .failure }
    public init(_ message: String) { self.message = message }
}
