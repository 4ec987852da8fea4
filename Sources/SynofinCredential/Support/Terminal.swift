import Glibc

/// Questions to a person on /dev/tty, never on stdin (the protocol's pipe) or stdout.
public enum Terminal {
    /// True when this process has a controlling terminal it can open.
    public static var isAvailable: Bool {
        let descriptor = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }

    public struct Unavailable: UserFacingError {
        public let what: String
        public var exitCode: ExitCode { .usage }
        public var message: String { "cannot ask for \(what): no terminal (/dev/tty) is available" }
    }

    /// Asks for a secret with echo off and returns it without its newline. The echo is restored
    /// even when the read fails; the bytes never pass through a `String`.
    public static func readSecret(prompt: String) throws -> SecretBytes {
        let descriptor = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw Unavailable(what: prompt.trimmingTrailingColon) }
        defer { close(descriptor) }
        // Echo goes off before the prompt appears, and with TCSANOW, so nothing typed (or pasted)
        // right after the prompt is thrown away or shown.
        var saved = termios()
        let isTerminal = tcgetattr(descriptor, &saved) == 0
        if isTerminal {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            silent.c_lflag |= tcflag_t(ECHONL)
            tcsetattr(descriptor, TCSANOW, &silent)
        }
        defer { if isTerminal { tcsetattr(descriptor, TCSANOW, &saved) } }
        StandardStream(descriptor: descriptor).write(prompt)
        let line = SecretBytes(count: 4096)
        var length = 0
        try line.withUnsafeMutableBytes { buffer in
            while length < buffer.count {
                var byte: UInt8 = 0
                let got = read(descriptor, &byte, 1)
                if got < 0 && errno == EINTR { continue }
                guard got == 1 else {
                    if length == 0 { throw GeneralError("no answer was typed for \(prompt.trimmingTrailingColon)") }
                    break
                }
                if byte == UInt8(ascii: "\n") { break }
                buffer[length] = byte
                length += 1
                byte = 0
            }
        }
        // Drop a trailing CR typed through a serial line or a Windows terminal.
        return line.withUnsafeBytes { bytes in
            var end = length
            if end > 0 && bytes[end - 1] == 13 { end -= 1 }
            return SecretBytes(bytes[0..<end])
        }
    }
}

extension String {
    var trimmingTrailingColon: String {
        var text = self
        while let last = text.last, last == " " || last == ":" { text.removeLast() }
        return text
    }
}
