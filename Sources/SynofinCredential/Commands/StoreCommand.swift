extension Commands {
    static let store = CommandSpec(
        name: "store",
        summary: "git protocol: accept a credential (never overwrites the key or secret)",
        help: """
            usage: synofin-credential store

            git calls this after a credential worked. The helper keeps no credential from it: the
            token it handed out is already cached, and the API key and secret are only ever
            changed by `login`. Reads the request, prints nothing, exits 0.
            """
    ) { context in
        // Read the whole request so git never writes into a closed pipe; keep nothing from it.
        _ = try CredentialReader.read(from: context.input)
        return .success
    }
}
