extension Commands {
    static let get = CommandSpec(
        name: "get",
        summary: "git protocol: print a token for the request on stdin",
        help: """
            usage: synofin-credential [--profile P] get

            Reads a git credential request (key=value lines) on stdin. When a profile matches its
            protocol, host and port (and username, if sent), prints

              username=<client name>
              password=<access token>
              password_expiry_utc=<unix seconds when the token stops being served>

            and, when the request carries capability[]=authtype (git 2.46 and later), also
            authtype=Bearer, credential=<token> and ephemeral=1. No match: prints nothing, exits 0.
            On any error: prints nothing on stdout, one message on stderr, exits non-zero.
            """
    ) { context in
        let request = try CredentialReader.read(from: context.input)
        guard let profile = try ProtocolMatch.profile(for: request, context: context) else { return .success }
        let token = try TokenProvider(context: context.storeContext).token(for: profile)
        var writer = CredentialWriter()
        if request.acceptsAuthtype {
            try writer.add("capability[]", "authtype")
        }
        try writer.add("username", profile.presentedUsername)
        try writer.add("password", token.accessToken)
        try writer.add("password_expiry_utc", String(TokenLifetime.servedUntil(expiresAt: token.expiresAt)))
        if request.acceptsAuthtype {
            try writer.add("authtype", "Bearer")
            try writer.add("credential", token.accessToken)
            try writer.add("ephemeral", "1")
        }
        StandardStream.output.write(writer.text)
        return .success
    }
}

/// Finds the profile a protocol request is for; shared by `get` and `erase`.
enum ProtocolMatch {
    static func profile(for request: CredentialRequest, context: CommandContext) throws -> Profile? {
        let profiles = try ProfileSet.load(paths: context.paths)
        switch profiles.match(request, restrictedTo: context.profileOption) {
        case .one(let profile):
            context.log.debug("request for \(request.protocolName ?? "?")://\(request.host ?? "?") matches profile '\(profile.name)'")
            return profile
        case .none:
            context.log.debug("no profile matches \(request.protocolName ?? "?")://\(request.host ?? "?")")
            return nil
        case .ambiguous(let names):
            // git will fall through to its next helper or a prompt; say why, once.
            context.log.notice("profiles \(names.joined(separator: ", ")) all match \(request.host ?? "?"); mark one 'default = true' or send a username")
            return nil
        }
    }
}
