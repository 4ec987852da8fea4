import Testing
@testable import SynofinCredential

@Suite struct ProfileMatchingTests {
    func set(_ profiles: [Profile], environment: Profile? = nil) -> ProfileSet {
        ProfileSet(config: ConfigFile(path: "config", profiles: profiles, text: ""), environmentProfile: environment)
    }

    func profile(_ name: String, _ url: String, client: String = "client", isDefault: Bool = false) throws -> Profile {
        Profile(name: name, url: try ServiceURL(parsing: url), clientName: client, store: .file, isDefault: isDefault)
    }

    func request(_ text: String) throws -> CredentialRequest {
        try CredentialReader.parse(Array(text.utf8))
    }

    @Test func oneProfileOnTheHostMatches() throws {
        let profiles = set([try profile("a", "https://h.example"), try profile("b", "https://other.example")])
        #expect(profiles.match(try request("protocol=https\nhost=h.example\n")) == .one(try profile("a", "https://h.example")))
    }

    @Test func schemeAndPortMustAgree() throws {
        let profiles = set([try profile("a", "https://h.example:8443")])
        #expect(profiles.match(try request("protocol=https\nhost=h.example\n")) == .none)
        #expect(profiles.match(try request("protocol=http\nhost=h.example:8443\n")) == .none)
        #expect(profiles.match(try request("protocol=https\nhost=h.example:8443\n")) != .none)
    }

    @Test func aUsernameMustNameTheClientOrTheProfile() throws {
        let profiles = set([try profile("a", "https://h.example", client: "acme"), try profile("b", "https://h.example", client: "beta")])
        #expect(profiles.match(try request("protocol=https\nhost=h.example\nusername=beta\n")) == .one(try profile("b", "https://h.example", client: "beta")))
        #expect(profiles.match(try request("protocol=https\nhost=h.example\nusername=a\n")) == .one(try profile("a", "https://h.example", client: "acme")))
        #expect(profiles.match(try request("protocol=https\nhost=h.example\nusername=nobody\n")) == .none)
    }

    @Test func severalMatchesWithoutOneDefaultMatchNothing() throws {
        let profiles = set([try profile("a", "https://h.example"), try profile("b", "https://h.example")])
        #expect(profiles.match(try request("protocol=https\nhost=h.example\n")) == .ambiguous(["a", "b"]))
    }

    @Test func severalMatchesWithOneDefaultMatchTheDefault() throws {
        let profiles = set([try profile("a", "https://h.example"), try profile("b", "https://h.example", isDefault: true)])
        #expect(profiles.match(try request("protocol=https\nhost=h.example\n")) == .one(try profile("b", "https://h.example", isDefault: true)))
    }

    @Test func theEnvProfileWinsOverConfigProfilesOnItsHost() throws {
        var environment = try profile("env", "https://h.example")
        environment.isDefault = true
        let profiles = set([try profile("a", "https://h.example")], environment: environment)
        #expect(profiles.match(try request("protocol=https\nhost=h.example\n")) == .one(environment))
    }

    @Test func aRequestWithoutHostMatchesNothing() throws {
        #expect(set([try profile("a", "https://h.example")]).match(try request("protocol=https\n")) == .none)
    }

    @Test func profileOptionRestrictsTheMatch() throws {
        let profiles = set([try profile("a", "https://h.example"), try profile("b", "https://h.example")])
        #expect(profiles.match(try request("protocol=https\nhost=h.example\n"), restrictedTo: "b") == .one(try profile("b", "https://h.example")))
    }

    @Test func selectedPrefersTheOptionThenTheOnlyThenTheDefault() throws {
        let a = try profile("a", "https://h.example"), b = try profile("b", "https://x.example", isDefault: true)
        #expect(try set([a]).selected(nil) == a)
        #expect(try set([a, b]).selected(nil) == b)
        #expect(try set([a, b]).selected("a") == a)
        #expect(throws: UsageError.self) { try set([a, try profile("c", "https://y.example")]).selected(nil) }
        #expect(throws: UsageError.self) { try set([a]).selected("zzz") }
    }
}

@Suite struct EnvironmentProfileTests {
    let base = ["SYNOFIN_API_KEY": "k", "SYNOFIN_API_SECRET": "s", "SYNOFIN_API_URL": "https://h.example", "SYNOFIN_CLIENT_NAME": "c"]

    @Test func theFourVariablesMakeTheEnvProfile() throws {
        let profile = try #require(try EnvironmentStore.profile(in: Environment(base)))
        #expect(profile.name == "env")
        #expect(profile.store == .environment)
        #expect(profile.clientName == "c")
    }

    @Test func noKeyVariablesMeanNoEnvProfile() throws {
        #expect(try EnvironmentStore.profile(in: Environment(["SYNOFIN_API_URL": "https://h.example"])) == nil)
    }

    @Test func aHalfSetEnvironmentNamesWhatIsMissing() throws {
        var partial = base
        partial["SYNOFIN_CLIENT_NAME"] = nil
        let error = try #require(throws: UsageError.self) { try EnvironmentStore.profile(in: Environment(partial)) }
        #expect(error.message.contains("SYNOFIN_CLIENT_NAME"))
    }

    @Test func fileVariantsAreReadWithoutTheirNewline() throws {
        let directory = try TemporaryDirectory()
        try "file-key\n".write(toFile: directory.file("key"), atomically: true, encoding: .utf8)
        try "file-secret\r\n".write(toFile: directory.file("secret"), atomically: true, encoding: .utf8)
        var variables = base
        variables["SYNOFIN_API_KEY"] = nil
        variables["SYNOFIN_API_SECRET"] = nil
        variables["SYNOFIN_API_KEY_FILE"] = directory.file("key")
        variables["SYNOFIN_API_SECRET_FILE"] = directory.file("secret")
        let environment = Environment(variables)
        let profile = try #require(try EnvironmentStore.profile(in: environment))
        let credentials = try EnvironmentStore(environment: environment).read(profile: profile)
        #expect(credentials.apiKey.withUnsafeBytes { Array($0) } == Array("file-key".utf8))
        #expect(credentials.apiSecret.withUnsafeBytes { Array($0) } == Array("file-secret".utf8))
    }

    @Test(arguments: [("a:b", "s"), ("k\u{1b}", "s"), ("", "s"), ("k", ""), ("k", "s\u{7f}")])
    func aKeyWithAColonOrControlsOrAnEmptyValueIsRefused(key: String, secret: String) throws {
        var variables = base
        variables["SYNOFIN_API_KEY"] = key.isEmpty ? nil : key
        variables["SYNOFIN_API_KEY_FILE"] = key.isEmpty ? "/dev/null" : nil
        variables["SYNOFIN_API_SECRET"] = secret.isEmpty ? nil : secret
        variables["SYNOFIN_API_SECRET_FILE"] = secret.isEmpty ? "/dev/null" : nil
        let environment = Environment(variables)
        let profile = try #require(try EnvironmentStore.profile(in: environment))
        #expect(throws: UsageError.self) { try EnvironmentStore(environment: environment).read(profile: profile) }
    }
}
