/// The command table: every command the CLI knows, in the order `--help` lists them. Each
/// command lives in a file of its own as a `static let` on this namespace.
public enum Commands {
    public static let version = "0.1.0"

    static var all: [CommandSpec] {
        [get, store, erase, capability, login, logout, token, exec, status, clear, doctor, vault]
    }

    static func named(_ name: String) -> CommandSpec? {
        all.first { $0.name == name }
    }

    static var overview: String {
        let width = all.map(\.name.count).max() ?? 0
        let list = all.map { "  \($0.name.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.summary)" }
        return """
            usage: synofin-credential [OPTIONS] COMMAND [ARGS]

            Keeps a Synofin LMS API key and secret in the Secret Service or an encrypted vault,
            exchanges them for short-lived access tokens, and serves those tokens to git and other
            programs over git's credential-helper protocol.

            Commands:
            \(list.joined(separator: "\n"))

            Options:
              --profile P        use profile P
              --config PATH      read and write this config file
              --non-interactive  never prompt (also SYNOFIN_CREDENTIAL_NONINTERACTIVE=1)
              -v, --verbose      trace what happens on stderr (secrets and tokens redacted)
              -h, --help         this help, or a command's: synofin-credential COMMAND --help
              --version          print the version

            Exit codes: 0 ok, 1 failure, 2 usage or configuration, 3 credentials rejected,
            4 no usable secret store, 5 network or server error.
            See synofin-credential(1) for the details.
            """
    }
}

extension String {
    /// Foundation's `padding(toLength:)` without Foundation.
    func padding(toLength length: Int, withPad pad: String, startingAt _: Int) -> String {
        count >= length ? self : self + String(repeating: pad, count: length - count)
    }
}
