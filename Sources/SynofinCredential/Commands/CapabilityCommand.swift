extension Commands {
    static let capability = CommandSpec(
        name: "capability",
        summary: "git protocol: list what this helper understands",
        help: """
            usage: synofin-credential capability

            Prints `version 0` and `capability authtype`: the helper can hand git (2.46 and
            later) a Bearer token with authtype=Bearer and credential=<token>.
            """
    ) { _ in
        StandardStream.output.write("version 0\ncapability authtype\n")
        return .success
    }
}
