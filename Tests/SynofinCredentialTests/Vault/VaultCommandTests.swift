import Foundation
import Testing
@testable import SynofinCredential

/// `vault keygen`, `vault passwd` and `login --store file` through the built binary, with the
/// real `age` CLI opening what they write.
@Suite struct VaultCommandTests {
    typealias F = VaultFixture
    static let url = "https://api.example.com"

    static func login(_ profile: String, _ fixture: VaultFixture, extra: [String: String] = [:],
                      key: String = StandIn.apiKey, secret: String = StandIn.apiSecret) throws -> RunResult {
        try runHelper(["login", "--store", "file", "--stdin", "--no-verify", "--profile", profile, "--url", url, "--client-name", "acme"],
                      environment: fixture.environment.merging(extra) { _, new in new },
                      input: "api_key=\(key)\napi_secret=\(secret)\n")
    }

    static func vault(_ arguments: [String], _ fixture: VaultFixture, extra: [String: String] = [:], input: String? = nil) throws -> RunResult {
        try runHelper(["vault"] + arguments, environment: fixture.environment.merging(extra) { _, new in new }, input: input)
    }

    /// `age -d` of the vault with `identity`, through the real CLI.
    static func ageDecrypt(_ fixture: VaultFixture, identity: String) throws -> RunResult {
        try run("/usr/bin/env", ["age", "-d", "-i", identity, fixture.vaultPath], environment: ProcessInfo.processInfo.environment)
    }

    @Test func vaultKeygenWritesAnAgeKeygenIdentity0600AndPrintsItsRecipient() throws {
        let fixture = try VaultFixture()
        let result = try Self.vault(["keygen"], fixture)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("age1") && result.stdout.hasSuffix("\n") && result.stdout.count == 63)
        #expect(F.mode(of: fixture.defaultIdentityPath) == 0o600)
        #expect(F.mode(of: (fixture.defaultIdentityPath as NSString).deletingLastPathComponent) == 0o700)
        let text = try String(contentsOfFile: fixture.defaultIdentityPath, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3 && lines[0].hasPrefix("# created: ") && lines[1] == "# public key: \(result.stdout.dropLast())")
        #expect(lines[2].hasPrefix("AGE-SECRET-KEY-1"))
        #expect(!result.stderr.contains("AGE-SECRET-KEY"), "the secret key is never printed")
        let ageKeygen = try run("/usr/bin/env", ["age-keygen", "-y", fixture.defaultIdentityPath], environment: ProcessInfo.processInfo.environment)
        #expect(ageKeygen.stdout == result.stdout, "the real age-keygen derives the same recipient")
    }

    @Test func vaultKeygenNeverOverwritesAnIdentity() throws {
        let fixture = try VaultFixture()
        #expect(try Self.vault(["keygen"], fixture).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.defaultIdentityPath))
        let again = try Self.vault(["keygen"], fixture)
        #expect(again.status == 1)
        #expect(again.stdout.isEmpty)
        #expect(again.stderr.contains("already exists"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.defaultIdentityPath)) == before)
    }

    @Test func vaultKeygenHonoursSynofinCredentialIdentityAndDashDashIdentity() throws {
        let fixture = try VaultFixture()
        let fromVariable = fixture.directory.file("keys/variable.txt")
        #expect(try Self.vault(["keygen"], fixture, extra: ["SYNOFIN_CREDENTIAL_IDENTITY": fromVariable]).status == 0)
        #expect(F.mode(of: fromVariable) == 0o600)
        let fromOption = fixture.directory.file("option.txt")
        let result = try Self.vault(["keygen", "--identity", fromOption], fixture)
        #expect(result.status == 0)
        #expect(F.mode(of: fromOption) == 0o600)
        #expect(result.stderr.contains("SYNOFIN_CREDENTIAL_IDENTITY=\(fromOption)"), "says how to make the helper use it")
        #expect(!FileManager.default.fileExists(atPath: fixture.defaultIdentityPath))
    }

    @Test func vaultKeygenWithAVaultSaysHowToReencryptIt() throws {
        let fixture = try VaultFixture()
        #expect(try Self.vault(["keygen"], fixture).status == 0)
        #expect(try Self.login("p", fixture).status == 0)
        let other = fixture.directory.file("new.txt")
        let result = try Self.vault(["keygen", "--identity", other], fixture)
        #expect(result.status == 0)
        #expect(result.stderr.contains("vault passwd --identity \(other)"))
    }

    @Test func aVaultWrittenByLoginOpensWithTheRealAgeCLIAndTheIdentity() throws {
        let fixture = try VaultFixture()
        #expect(try Self.vault(["keygen"], fixture).status == 0)
        let login = try Self.login("preprod", fixture)
        #expect(login.status == 0, "\(login.stderr)")
        let opened = try Self.ageDecrypt(fixture, identity: fixture.defaultIdentityPath)
        #expect(opened.status == 0, "\(opened.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any]
        #expect(json?["version"] as? Int == 1)
        #expect((json?["profiles"] as? [String: [String: String]])?["preprod"] == ["api_key": StandIn.apiKey, "api_secret": StandIn.apiSecret])
    }

    @Test func aPassphraseVaultOpensWithTheRealAgeCLIThroughAPseudoTerminal() throws {
        let fixture = try VaultFixture()
        let passphraseFile = fixture.directory.file("passphrase")
        try fixture.write("long enough passphrase\n", to: passphraseFile)
        let login = try Self.login("p", fixture, extra: ["SYNOFIN_CREDENTIAL_PASSPHRASE_FILE": passphraseFile])
        #expect(login.status == 0, "\(login.stderr)")
        let output = fixture.directory.file("plain.json")
        let opened = try AgeCLIInteropTests.age(["age", "-d", "-o", output, fixture.vaultPath], passphrase: "long enough passphrase")
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8).contains(StandIn.apiSecret))
        let header = String(decoding: try fixture.vaultBytes().prefix(60), as: UTF8.self)
        #expect(header.contains("-> scrypt ") && header.contains(" 18\n"), "written at work factor 18")
    }

    @Test func vaultPasswdReencryptsToANewIdentityAndTheOldOneNoLongerOpensIt() throws {
        let fixture = try VaultFixture()
        #expect(try Self.vault(["keygen"], fixture).status == 0)
        #expect(try Self.login("a", fixture).status == 0)
        #expect(try Self.login("b", fixture).status == 0)
        let newIdentity = fixture.directory.file("new.txt")
        #expect(try Self.vault(["keygen", "--identity", newIdentity], fixture).status == 0)
        let passwd = try Self.vault(["passwd", "--identity", newIdentity], fixture)
        #expect(passwd.status == 0, "\(passwd.stderr)")
        #expect(passwd.stderr.contains("2 profiles"))
        #expect(try Self.ageDecrypt(fixture, identity: fixture.defaultIdentityPath).status != 0)
        let opened = try Self.ageDecrypt(fixture, identity: newIdentity)
        #expect(opened.status == 0)
        #expect(opened.stdout.contains("\"a\"") && opened.stdout.contains("\"b\""))
    }

    @Test func vaultPasswdTakesANewPassphraseFromStdin() throws {
        let fixture = try VaultFixture()
        #expect(try Self.vault(["keygen"], fixture).status == 0)
        #expect(try Self.login("a", fixture).status == 0)
        let passwd = try Self.vault(["passwd", "--passphrase", "--stdin"], fixture, input: "new passphrase\n")
        #expect(passwd.status == 0, "\(passwd.stderr)")
        #expect(try AgeFile.stanzaTypes(of: try fixture.vaultBytes()) == ["scrypt"])
        let contents = try fixture.contents(identities: [ScryptIdentity(passphrase: SecretBytes(Array("new passphrase".utf8)))])
        #expect(contents.profiles.keys.sorted() == ["a"])
        // From now on the identity no longer serves, and the passphrase does.
        #expect(try runHelper(["logout", "--profile", "a"], environment: fixture.environment).status == 4)
        let logout = try runHelper(["logout", "--profile", "a"], environment: fixture.environment.merging(
            ["SYNOFIN_CREDENTIAL_PASSPHRASE": "new passphrase"]) { _, new in new })
        #expect(logout.status == 0, "\(logout.stderr)")
    }

    @Test func vaultPasswdToAMissingIdentitySaysToRunKeygenFirst() throws {
        let fixture = try VaultFixture()
        #expect(try Self.vault(["keygen"], fixture).status == 0)
        #expect(try Self.login("a", fixture).status == 0)
        let before = try fixture.vaultBytes()
        let missing = fixture.directory.file("missing.txt")
        let result = try Self.vault(["passwd", "--identity", missing], fixture)
        #expect(result.status == 2)
        #expect(result.stderr.contains("vault keygen --identity \(missing)"))
        #expect(try fixture.vaultBytes() == before)
    }

    @Test func vaultPasswdNeedsExactlyOneNewKey() throws {
        let fixture = try VaultFixture()
        #expect(try Self.vault(["passwd"], fixture).status == 2)
        #expect(try Self.vault(["passwd", "--passphrase", "--identity", "x"], fixture).status == 2)
        #expect(try Self.vault([], fixture).status == 2)
        #expect(try Self.vault(["rotate"], fixture).status == 2)
    }

    @Test func aWrongIdentityExits4AndTheMessageNamesTheSourceTried() throws {
        let fixture = try VaultFixture()
        #expect(try Self.vault(["keygen"], fixture).status == 0)
        #expect(try Self.login("a", fixture).status == 0)
        let before = try fixture.vaultBytes()
        let other = fixture.directory.file("other.txt")
        #expect(try Self.vault(["keygen", "--identity", other], fixture).status == 0)
        let result = try runHelper(["logout", "--profile", "a"], environment: fixture.environment.merging(
            ["SYNOFIN_CREDENTIAL_IDENTITY": other]) { _, new in new })
        #expect(result.status == 4)
        #expect(result.stderr.contains("the identity in $SYNOFIN_CREDENTIAL_IDENTITY (\(other)) does not open the encrypted vault \(fixture.vaultPath)"))
        #expect(try fixture.vaultBytes() == before)
    }

    @Test func aWrongPassphraseExits4AndTheMessageNamesTheSourceTried() throws {
        let fixture = try VaultFixture()
        #expect(try Self.login("a", fixture, extra: ["SYNOFIN_CREDENTIAL_PASSPHRASE": "right one"]).status == 0)
        let result = try Self.login("b", fixture, extra: ["SYNOFIN_CREDENTIAL_PASSPHRASE": "wrong one"])
        #expect(result.status == 4)
        #expect(result.stderr.contains("the passphrase in $SYNOFIN_CREDENTIAL_PASSPHRASE does not open"))
    }

    @Test func aVaultOthersCanReadExits4AndSaysChmod600() throws {
        let fixture = try VaultFixture()
        #expect(try Self.vault(["keygen"], fixture).status == 0)
        #expect(try Self.login("a", fixture).status == 0)
        chmod(fixture.vaultPath, 0o644)
        let result = try Self.login("b", fixture)
        #expect(result.status == 4)
        #expect(result.stderr.contains("chmod 600 \(fixture.vaultPath)"))
    }

    @Test func aTruncatedVaultExits1AndIsLeftAsItWas() throws {
        let fixture = try VaultFixture()
        #expect(try Self.vault(["keygen"], fixture).status == 0)
        #expect(try Self.login("a", fixture).status == 0)
        let truncated = Array(try fixture.vaultBytes().dropLast(3))
        try fixture.write(truncated, to: fixture.vaultPath)
        let result = try Self.login("b", fixture)
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot be read"))
        #expect(try fixture.vaultBytes() == truncated)
    }

    @Test func noKeyAndNoPromptExits4AndSaysToRunKeygen() throws {
        let fixture = try VaultFixture()
        let result = try Self.login("a", fixture)
        #expect(result.status == 4)
        #expect(result.stderr.contains("synofin-credential vault keygen"))
        #expect(result.stderr.contains("SYNOFIN_CREDENTIAL_PASSPHRASE_FILE"))
    }

    @Test func systemdCredentialsUnlockTheVault() throws {
        let fixture = try VaultFixture()
        let credentials = fixture.directory.file("credentials")
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        try fixture.write("from systemd\n", to: credentials + "/synofin-credential.passphrase", mode: 0o400)
        let login = try Self.login("a", fixture, extra: ["CREDENTIALS_DIRECTORY": credentials])
        #expect(login.status == 0, "\(login.stderr)")
        let contents = try fixture.contents(identities: [ScryptIdentity(passphrase: SecretBytes(Array("from systemd".utf8)))])
        #expect(contents.profiles.keys.sorted() == ["a"])
    }

    /// On a terminal (a pseudo-terminal here, answering every "...passphrase...:" prompt): a new
    /// passphrase is asked twice, and a passphrase vault asks once to open.
    @Test func aPassphraseTypedAtThePromptIsAskedTwiceWhenNewAndOnceToOpen() throws {
        let fixture = try VaultFixture()
        fixture.environment.removeValue(forKey: "SYNOFIN_CREDENTIAL_NONINTERACTIVE")
        #expect(try Self.vault(["keygen"], fixture).status == 0)
        #expect(try Self.login("a", fixture).status == 0)
        var environment = fixture.environment
        environment["AGE_TEST_PASSPHRASE"] = "typed passphrase"
        let toPassphrase = try run("/usr/bin/env", ["python3", "-c", AgeCLIInteropTests.answeringPrompts, TestBinary.path, "vault", "passwd", "--passphrase"],
                                   environment: environment)
        #expect(toPassphrase.status == 0, "\(toPassphrase.stderr)")
        #expect(toPassphrase.stderr.contains("New passphrase for \(fixture.vaultPath): "))
        #expect(toPassphrase.stderr.contains("Repeat the passphrase: "))
        #expect(!toPassphrase.stderr.contains("typed passphrase"), "typed without echo")
        let contents = try fixture.contents(identities: [ScryptIdentity(passphrase: SecretBytes(Array("typed passphrase".utf8)))])
        #expect(contents.profiles.keys.sorted() == ["a"])

        let back = try run("/usr/bin/env", ["python3", "-c", AgeCLIInteropTests.answeringPrompts, TestBinary.path,
                                            "vault", "passwd", "--identity", fixture.defaultIdentityPath], environment: environment)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stderr.contains("Passphrase for \(fixture.vaultPath): "))
        #expect(!back.stderr.contains("Repeat"))
        #expect(try AgeFile.stanzaTypes(of: try fixture.vaultBytes()) == ["X25519"])
    }

    @Test func vaultHelpExplainsTheUnlockOrderAndGivesExamples() throws {
        let fixture = try VaultFixture()
        let result = try Self.vault(["--help"], fixture)
        #expect(result.status == 0)
        for needle in ["vault keygen", "vault passwd", "SYNOFIN_CREDENTIAL_IDENTITY", "CREDENTIALS_DIRECTORY",
                       "SYNOFIN_CREDENTIAL_PASSPHRASE_FILE", "SYNOFIN_CREDENTIAL_PASSPHRASE", "chmod 600", "age -d -i", "Examples:"] {
            #expect(result.stdout.contains(needle), "\(needle)")
        }
    }
}
