import Glibc

/// The whole program behind the thin executable: parse, dispatch, turn errors into one stderr
/// line and an exit code. Nothing reaches stdout on failure, because commands write only at the end.
public enum Program {
    public static func run(arguments: [String], environment: Environment = .current) -> Int32 {
        let invocation: Invocation
        do {
            invocation = try Invocation.parse(arguments)
        } catch {
            return report(error, log: Log(verbose: false))
        }
        if invocation.flag("version") {
            StandardStream.output.write("synofin-credential \(Commands.version)\n")
            return ExitCode.success.rawValue
        }
        guard let name = invocation.command else {
            if invocation.flag("help") {
                StandardStream.output.write(Commands.overview + "\n")
                return ExitCode.success.rawValue
            }
            StandardStream.error.write(Commands.overview + "\n")
            return ExitCode.usage.rawValue
        }
        guard let command = Commands.named(name) else {
            // git's rule: helpers ignore operations they do not know, silently and successfully.
            // A person typing at a terminal still deserves a hint.
            if isatty(0) == 1 {
                StandardStream.error.write("synofin-credential: unknown command '\(name)'; see synofin-credential --help\n")
            }
            return ExitCode.success.rawValue
        }
        if invocation.flag("help") {
            StandardStream.output.write(command.help + "\n")
            return ExitCode.success.rawValue
        }
        let context = CommandContext(invocation: invocation, environment: environment)
        do {
            try invocation.checkOptions(allowed: command.options, command: name)
            return try command.run(context).rawValue
        } catch {
            return report(error, log: context.log)
        }
    }

    static func report(_ error: Error, log: Log) -> Int32 {
        if let error = error as? UserFacingError {
            log.error(error.message)
            return error.processStatus
        }
        log.error("\(error)")
        return ExitCode.failure.rawValue
    }
}
