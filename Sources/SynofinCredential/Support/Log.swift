import Glibc

/// Messages for people, on stderr only: stdout belongs to the protocol. `debug` lines appear with
/// `-v`; callers pass only non-secret values (use `Log.redacted` for anything token-like).
public final class Log: @unchecked Sendable {
    public let verbose: Bool
    private let program = "synofin-credential"

    public init(verbose: Bool) {
        self.verbose = verbose
    }

    public func debug(_ message: @autoclosure () -> String) {
        guard verbose else { return }
        StandardStream.error.write("\(program): debug: \(message())\n")
    }

    /// A note the user should see even without `-v` (for example which store `auto` chose).
    public func notice(_ message: String) {
        StandardStream.error.write("\(program): \(message)\n")
    }

    public func error(_ message: String) {
        StandardStream.error.write("\(program): error: \(message)\n")
    }

    /// A token shown as its length and last four characters, enough to tell two apart in a trace.
    public static func redacted(_ value: String) -> String {
        value.count <= 8 ? "[\(value.count) chars]" : "[\(value.count) chars, ends \(value.suffix(4))]"
    }
}

/// Unbuffered writes to a file descriptor, retried until every byte is out.
public struct StandardStream: Sendable {
    public let descriptor: Int32

    public static let output = StandardStream(descriptor: 1)
    public static let error = StandardStream(descriptor: 2)

    public func write(_ text: String) {
        var bytes = Array(text.utf8)
        write(bytes: &bytes)
    }

    public func write(bytes: inout [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
