import Glibc

extension Commands {
    static let exec = CommandSpec(
        name: "exec",
        summary: "run a command with a token in its environment",
        help: """
            usage: synofin-credential exec [--profile P] -- CMD [ARG...]

            Runs CMD with SYNOFIN_ACCESS_TOKEN (a token with over 5 minutes left) and
            SYNOFIN_API_URL (the profile's URL) added to its environment, in place of this
            process, so its exit status and signals are CMD's own. The API key and secret are
            never passed on.

            Example: synofin-credential exec -- sh -c 'curl -H "Authorization: Bearer $SYNOFIN_ACCESS_TOKEN" "$SYNOFIN_API_URL/..."'
            """
    ) { context in
        let command = context.invocation.trailing ?? context.invocation.arguments
        guard let program = command.first, !program.isEmpty else {
            throw UsageError("exec needs a command: synofin-credential exec -- CMD [ARG...]")
        }
        let profile = try ProfileSet.load(paths: context.paths).selected(context.profileOption)
        let token = try TokenProvider(context: context.storeContext).token(for: profile)
        setenv("SYNOFIN_ACCESS_TOKEN", token.accessToken, 1)
        setenv("SYNOFIN_API_URL", profile.url.baseString, 1)
        // The child must not find the raw key or secret in its environment.
        for name in ["SYNOFIN_API_KEY", "SYNOFIN_API_SECRET", "SYNOFIN_API_KEY_FILE", "SYNOFIN_API_SECRET_FILE"] {
            unsetenv(name)
        }
        let arguments = command.map { strdup($0) } + [nil]
        execvp(program, arguments)
        let code = errno
        throw ExecError(program: program, errno: code)
    }
}

/// CMD could not be started; the shell's exit codes: 127 not found, 126 not runnable.
struct ExecError: UserFacingError {
    let program: String
    let errno: Int32

    var exitCode: ExitCode { .failure }
    var processStatus: Int32 { errno == ENOENT ? 127 : 126 }
    var message: String { "cannot run \(program): \(String(cString: strerror(errno)))" }
}
