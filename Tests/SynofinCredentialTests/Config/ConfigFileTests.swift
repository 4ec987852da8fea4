import Foundation
import Testing
@testable import SynofinCredential

@Suite struct ConfigFileTests {
    func profiles(_ text: String) throws -> [Profile] {
        try ConfigFile.profiles(in: text, path: "config")
    }

    @Test func theSpecExampleParses() throws {
        let parsed = try profiles("""
            [profile "preprod"]
                url = https://api-preprod.synofin.tech
                client-name = sindhuja-mfi
                store = secret-service
                default = true
            """)
        #expect(parsed.count == 1)
        #expect(parsed[0].name == "preprod")
        #expect(parsed[0].url.baseString == "https://api-preprod.synofin.tech")
        #expect(parsed[0].clientName == "sindhuja-mfi")
        #expect(parsed[0].store == .secretService)
        #expect(parsed[0].isDefault)
        #expect(parsed[0].tokenEndpoint == "https://api-preprod.synofin.tech/oauth/authorization")
    }

    @Test func optionalSettingsAreRead() throws {
        let parsed = try profiles("""
            [profile "p"]
            url = https://h.example/base
            client-name = c
            token-path = /v2/token
            ca-file = /etc/ca.pem
            timeout = 7
            username = bot
            """)[0]
        #expect(parsed.tokenEndpoint == "https://h.example/base/v2/token")
        #expect(parsed.caFile == "/etc/ca.pem")
        #expect(parsed.timeoutSeconds == 7)
        #expect(parsed.presentedUsername == "bot")
    }

    @Test func namesAreCaseInsensitiveAndCommentsAreSkipped() throws {
        let parsed = try profiles("""
            # a comment
            [Profile "p"]  ; another
                URL = https://h.example  # trailing comment
                Client-Name = "two  words"
            """)[0]
        #expect(parsed.url.baseString == "https://h.example")
        #expect(parsed.clientName == "two  words")
    }

    @Test func quotedValuesKeepEscapes() throws {
        let parsed = try profiles("[profile \"p\"]\nurl = https://h.example\nclient-name = \"a\\\"b#c\"\n")[0]
        #expect(parsed.clientName == "a\"b#c")
    }

    @Test func aBareNameIsTrue() throws {
        #expect(try profiles("[profile \"p\"]\nurl = https://h.example\nclient-name = c\ndefault\n")[0].isDefault)
    }

    @Test func continuationLinesJoin() throws {
        #expect(try profiles("[profile \"p\"]\nurl = https://h.example\nclient-name = ab\\\ncd\n")[0].clientName == "abcd")
    }

    @Test func errorsNameTheFileAndLine() throws {
        let error = try #require(throws: ConfigError.self) {
            try profiles("[profile \"p\"]\nurl = https://h.example\nclient-name = c\ntimeout = soon\n")
        }
        #expect(error.message.hasPrefix("config, line 4:"))
        #expect(error.exitCode == .usage)
    }

    @Test func anUnknownSettingIsAnError() throws {
        let error = try #require(throws: ConfigError.self) {
            try profiles("[profile \"p\"]\nurl = https://h.example\nclientname = c\n")
        }
        #expect(error.message.contains("line 3"))
        #expect(error.message.contains("clientname"))
    }

    @Test func aMissingURLIsAnError() throws {
        let error = try #require(throws: ConfigError.self) { try profiles("[profile \"p\"]\nclient-name = c\n") }
        #expect(error.message.contains("has no url"))
    }

    @Test func aSyntaxErrorNamesItsLine() throws {
        let error = try #require(throws: ConfigError.self) { try profiles("[profile \"p\"]\nurl = \"unclosed\n") }
        #expect(error.message.hasPrefix("config, line 2:"))
    }

    @Test func theEnvStoreCannotBeConfigured() throws {
        #expect(throws: ConfigError.self) { try profiles("[profile \"p\"]\nurl = https://h.example\nclient-name = c\nstore = env\n") }
    }

    @Test func otherSectionsAreIgnored() throws {
        #expect(try profiles("[core]\n\teditor = vi\n").isEmpty)
    }

    @Test func quoteRoundTripsThroughTheParser() throws {
        for value in ["plain", " lead", "trail ", "has#hash", "has;semi", "q\"uote", "back\\slash", ""] {
            let text = "[profile \"p\"]\nurl = https://h.example\nclient-name = \(GitConfigParser.quote(value.isEmpty ? "x" : value))\n"
            #expect(try profiles(text)[0].clientName == (value.isEmpty ? "x" : value))
        }
    }
}

@Suite struct ConfigEditorTests {
    let directory: TemporaryDirectory
    let path: String

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.file("conf/config")
    }

    func profile(_ name: String, host: String = "h.example") throws -> Profile {
        Profile(name: name, url: try ServiceURL(parsing: "https://\(host)"), clientName: "c-\(name)", store: .file)
    }

    @Test func savingAProfileWritesItsSection() throws {
        try ConfigEditor.save(try profile("a"), path: path)
        let loaded = try ConfigFile.load(path: path)
        #expect(loaded.profiles.map(\.name) == ["a"])
        #expect(loaded.profiles[0].store == .file)
        #expect(FileSystem.mode(of: path) == 0o600)
        #expect(FileSystem.mode(of: directory.file("conf")) == 0o700)
    }

    @Test func savingAgainReplacesTheSectionAndKeepsTheRest() throws {
        try FileManager.default.createDirectory(atPath: directory.file("conf"), withIntermediateDirectories: true)
        try "# my notes\n[core]\n\tx = 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        try ConfigEditor.save(try profile("a"), path: path)
        try ConfigEditor.save(try profile("b"), path: path)
        var changed = try profile("a")
        changed.clientName = "renamed"
        try ConfigEditor.save(changed, path: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("# my notes\n[core]\n\tx = 1\n"))
        let loaded = try ConfigFile.load(path: path)
        #expect(loaded.profiles.map(\.name).sorted() == ["a", "b"])
        #expect(loaded.profile(named: "a")?.clientName == "renamed")
        #expect(text.components(separatedBy: "[profile \"a\"]").count == 2)
    }

    @Test func removingAProfileLeavesTheOthers() throws {
        try ConfigEditor.save(try profile("a"), path: path)
        try ConfigEditor.save(try profile("b"), path: path)
        try ConfigEditor.remove(profileNamed: "a", path: path)
        #expect(try ConfigFile.load(path: path).profiles.map(\.name) == ["b"])
    }

    @Test func concurrentSavesLoseNoProfile() throws {
        let names = (0..<16).map { "p\($0)" }
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            try? ConfigEditor.save(try! profile(names[index]), path: path)
        }
        #expect(try ConfigFile.load(path: path).profiles.map(\.name).sorted() == names.sorted())
    }
}
