import Foundation
import Testing
@testable import SynofinCredential

/// The vault's JSON plaintext, read and written by hand over wiped memory.
@Suite struct VaultContentsTests {
    typealias F = VaultFixture

    static func parse(_ text: String) throws -> VaultContents {
        try VaultContents.parse(SecretBytes(Array(text.utf8)))
    }

    @Test func contentsRoundTripWithEscapesAndUnicode() throws {
        var contents = VaultContents()
        contents.profiles["a"] = F.credentials("k\"\\/\u{7}\n", "ß€😀 \u{7F}")
        contents.profiles["b"] = F.credentials("k2", "s2")
        let text = try contents.serialised()
        let again = try VaultContents.parse(text)
        #expect(again.profiles.keys.sorted() == ["a", "b"])
        #expect(F.text(again.profiles["a"]!.apiKey) == "k\"\\/\u{7}\n")
        #expect(F.text(again.profiles["a"]!.apiSecret) == "ß€😀 \u{7F}")
        // And any JSON parser reads what we write.
        let json = try JSONSerialization.jsonObject(with: Data(text.withUnsafeBytes { Array($0) })) as? [String: Any]
        #expect((json?["profiles"] as? [String: [String: String]])?["a"]?["api_key"] == "k\"\\/\u{7}\n")
    }

    @Test func anEmptyVaultIsVersionOneWithNoProfiles() throws {
        let text = F.text(try VaultContents().serialised())
        #expect(text == "{\n  \"version\": 1,\n  \"profiles\": {}\n}\n")
        #expect(try Self.parse(text).profiles.isEmpty)
    }

    @Test func jsonFromOtherToolsIsReadWhateverItsSpacingAndEscapes() throws {
        let contents = try Self.parse(#" { "profiles" : { "p" : { "api_secret" : "\u00e9\ud83d\ude00\/" , "api_key":"k" } } , "version" : 1 } "#)
        #expect(F.text(contents.profiles["p"]!.apiSecret) == "é😀/")
        #expect(F.text(contents.profiles["p"]!.apiKey) == "k")
    }

    @Test func unknownFieldsNewerVersionsAndBrokenJSONAreRefused() {
        let refused = [
            #"{"version":2,"profiles":{}}"#,
            #"{"profiles":{}}"#,
            #"{"version":1,"profiles":{},"extra":1}"#,
            #"{"version":1,"profiles":{"p":{"api_key":"k","api_secret":"s","note":"x"}}}"#,
            #"{"version":1,"profiles":{"p":{"api_key":"k"}}}"#,
            #"{"version":1,"profiles":{"p":{"api_key":"","api_secret":"s"}}}"#,
            #"{"version":1,"profiles":{"p":{"api_key":"k","api_secret":"s"},"p":{"api_key":"k","api_secret":"s"}}}"#,
            #"{"version":1,"profiles":{"p":{"api_key":"k","api_secret":"\ud83d"}}}"#,
            "{\"version\":1,\"profiles\":{\"p\":{\"api_key\":\"k\",\"api_secret\":\"a\u{1}b\"}}}",
            #"{"version":1,"profiles":{}} trailing"#,
            #"{"version":1,"profiles":{}"#,
            "",
        ]
        for text in refused {
            #expect(throws: (any Error).self, "\(text)") { try Self.parse(text) }
        }
        do {
            _ = try Self.parse(#"{"version":2,"profiles":{}}"#)
        } catch let error as VaultContents.Invalid {
            #expect(error.reason.contains("newer synofin-credential"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func valuesThatAreNotUTF8AreRefusedOnWrite() {
        var contents = VaultContents()
        contents.profiles["p"] = APICredentials(apiKey: SecretBytes([0x6B, 0xFF]), apiSecret: SecretBytes([0x73]))
        #expect(throws: VaultContents.Invalid.self) { try contents.serialised() }
    }
}
