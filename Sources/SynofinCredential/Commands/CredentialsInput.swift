import Glibc

/// How `login` gets the API key and secret: from /dev/tty without echo, or with `--stdin` as
/// `api_key=...` and `api_secret=...` lines (up to a blank line or EOF). Never from arguments,
/// and the bytes go straight into wiped buffers, never through a `String`.
enum CredentialsInput {
    static let limit = 64 << 10

    static func fromTerminal(mayPrompt: Bool) throws -> APICredentials {
        guard mayPrompt else {
            throw UsageError("cannot ask for the API key and secret: prompting is off (no terminal, --non-interactive, SYNOFIN_CREDENTIAL_NONINTERACTIVE or GIT_TERMINAL_PROMPT=0); pass them on stdin with --stdin")
        }
        let key = try Terminal.readSecret(prompt: "API key: ")
        let secret = try Terminal.readSecret(prompt: "API secret: ")
        return try APICredentials.validated(key: key, secret: secret)
    }

    static func fromStandardInput(_ descriptor: Int32) throws -> APICredentials {
        let buffer = SecretBytes(count: limit)
        var length = 0
        try buffer.withUnsafeMutableBytes { bytes in
            while length < bytes.count {
                let got = read(descriptor, bytes.baseAddress! + length, bytes.count - length)
                if got < 0 && errno == EINTR { continue }
                guard got >= 0 else { throw GeneralError("cannot read stdin: \(String(cString: strerror(errno)))") }
                if got == 0 { break }
                length += got
                // A blank line ends the input, so a caller may keep the pipe open.
                if length >= 2 && bytes[length - 1] == 10 && (bytes[length - 2] == 10 || (length >= 3 && bytes[length - 2] == 13 && bytes[length - 3] == 10)) { break }
            }
            if length == bytes.count { throw UsageError("stdin holds more than \(limit) bytes; expected api_key=... and api_secret=... lines") }
        }
        return try parse(buffer, length: length)
    }

    /// Parses `api_key=` and `api_secret=` lines; anything else is refused so a typo cannot pass.
    static func parse(_ buffer: SecretBytes, length: Int) throws -> APICredentials {
        var key: SecretBytes?
        var secret: SecretBytes?
        try buffer.withUnsafeBytes { bytes in
            let input = bytes[0..<length]
            for rawLine in input.split(separator: 10, omittingEmptySubsequences: false) {
                var line = rawLine
                if line.last == 13 { line = line.dropLast() }
                if line.isEmpty { continue }
                guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else {
                    throw UsageError("stdin: expected api_key=... and api_secret=... lines, got a line without '='")
                }
                let name = String(decoding: line[..<equals], as: UTF8.self)
                let value = SecretBytes(line[(equals + 1)...])
                switch name {
                case "api_key": key = value
                case "api_secret": secret = value
                default:
                    throw UsageError("stdin: unknown field '\(ExchangeError.printable(name, limit: 40))'; expected api_key= and api_secret=")
                }
            }
        }
        guard let key else { throw UsageError("stdin: no api_key= line") }
        guard let secret else { throw UsageError("stdin: no api_secret= line") }
        return try APICredentials.validated(key: key, secret: secret)
    }
}
