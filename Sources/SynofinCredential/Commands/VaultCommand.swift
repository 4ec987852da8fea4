/// `vault keygen` and `vault passwd` (issue: the encrypted-file store). Placeholder until built.
extension Commands {
    static let vault = CommandSpec(
        name: "vault",
        summary: "manage the encrypted vault (keygen, passwd)",
        help: """
            usage: synofin-credential vault keygen | vault passwd

            Not built yet.
            """
    ) { _ in
        throw GeneralError("the encrypted vault is not built yet")
    }
}
