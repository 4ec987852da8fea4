import Glibc

/// Everything a command needs about this run, built once in `Program.run`.
public final class CommandContext {
    public let invocation: Invocation
    public let environment: Environment
    public let paths: Paths
    public let log: Log
    /// The descriptor the protocol reads from (0, except in tests).
    public let input: Int32

    public init(invocation: Invocation, environment: Environment, input: Int32 = 0) {
        self.invocation = invocation
        self.environment = environment
        self.paths = Paths(environment: environment, configOverride: invocation.value("config"))
        self.log = Log(verbose: invocation.flag("verbose"))
        self.input = input
    }

    /// Whether a person may be asked something on /dev/tty. SPEC: never with --non-interactive,
    /// SYNOFIN_CREDENTIAL_NONINTERACTIVE=1, GIT_TERMINAL_PROMPT=0, or without a terminal.
    public lazy var mayPrompt: Bool = {
        if invocation.flag("non-interactive") || environment.isTrue("SYNOFIN_CREDENTIAL_NONINTERACTIVE") {
            return false
        }
        if environment.variables["GIT_TERMINAL_PROMPT"] == "0" { return false }
        return Terminal.isAvailable
    }()

    public var storeContext: StoreContext {
        StoreContext(environment: environment, paths: paths, mayPrompt: mayPrompt, log: log)
    }

    /// The profile named by `--profile`, if any.
    public var profileOption: String? { invocation.value("profile") }
}

/// One command of the CLI: its name, help, the options it takes, and what it does.
public struct CommandSpec {
    public let name: String
    /// One line for the command list in `--help`.
    public let summary: String
    /// The full `synofin-credential NAME --help` text.
    public let help: String
    public let options: Set<String>
    public let run: (CommandContext) throws -> ExitCode

    public init(name: String, summary: String, help: String, options: Set<String> = [],
                run: @escaping (CommandContext) throws -> ExitCode) {
        self.name = name
        self.summary = summary
        self.help = help
        self.options = options
        self.run = run
    }
}
