extension Commands {
    static let token = CommandSpec(
        name: "token",
        summary: "print an access token",
        help: """
            usage: synofin-credential token [--profile P] [--json]

            Prints an access token for the profile (from the cache when it has over 5 minutes
            left, else from a new exchange) followed by a newline.
              --json  print {"access_token", "token_type": "Bearer", "expires_at" (RFC 3339),
                      "expires_in" (seconds), "profile"} instead

            Example: curl -H "Authorization: Bearer $(synofin-credential token)" https://...
            """,
        options: ["json"]
    ) { context in
        let profile = try ProfileSet.load(paths: context.paths).selected(context.profileOption)
        let token = try TokenProvider(context: context.storeContext).token(for: profile)
        guard context.invocation.flag("json") else {
            StandardStream.output.write(token.accessToken + "\n")
            return .success
        }
        let document = JSONText.object([
            ("access_token", .string(token.accessToken)),
            ("token_type", .string("Bearer")),
            ("expires_at", .string(Timestamp.rfc3339(token.expiresAt))),
            ("expires_in", .number(token.expiresAt - Clock.unixSeconds())),
            ("profile", .string(profile.name)),
        ])
        StandardStream.output.write(document.rendered + "\n")
        return .success
    }
}
