import Foundation
import Testing
@testable import SynofinCredential

/// The encrypted-file store in-process, one rule per test.
@Suite struct VaultStoreTests {
    typealias F = VaultFixture

    @Test func twoProfilesRoundTripThroughAnIdentityVault() throws {
        let fixture = try VaultFixture()
        let identity = try fixture.makeIdentity()
        try fixture.store().write(F.credentials("key-1", "secret-1"), for: F.profile("one"))
        try fixture.store().write(F.credentials("key-2", "sécret \"2\"\\"), for: F.profile("two"))
        let store = fixture.store()
        let one = try store.read(profile: F.profile("one")), two = try store.read(profile: F.profile("two"))
        #expect(F.text(one.apiKey) == "key-1" && F.text(one.apiSecret) == "secret-1")
        #expect(F.text(two.apiKey) == "key-2" && F.text(two.apiSecret) == "sécret \"2\"\\")
        #expect(Set(try fixture.contents(identities: [identity]).profiles.keys) == ["one", "two"])
        #expect(throws: StoreError.self) { try store.read(profile: F.profile("three")) }
    }

    @Test func theVaultIsMode0600InAPrivateDirectory() throws {
        let fixture = try VaultFixture()
        try fixture.makeIdentity()
        try fixture.store().write(F.credentials("k", "s"), for: F.profile("p"))
        #expect(F.mode(of: fixture.vaultPath) == 0o600)
        #expect(F.mode(of: (fixture.vaultPath as NSString).deletingLastPathComponent) == 0o700)
        #expect(F.mode(of: fixture.vaultPath + ".lock") == 0o600)
    }

    @Test func theVaultPathComesFromSynofinCredentialVault() throws {
        let fixture = try VaultFixture()
        try fixture.makeIdentity()
        let custom = fixture.directory.file("elsewhere/my.age")
        let store = fixture.store(["SYNOFIN_CREDENTIAL_VAULT": custom])
        #expect(store.path == custom)
        try store.write(F.credentials("k", "s"), for: F.profile("p"))
        #expect(FileManager.default.fileExists(atPath: custom))
        #expect(!FileManager.default.fileExists(atPath: fixture.vaultPath))
    }

    @Test func theJSONPlaintextHasAVersionAndEveryProfile() throws {
        let fixture = try VaultFixture()
        let identity = try fixture.makeIdentity()
        try fixture.store().write(F.credentials("k\u{1}", "s"), for: F.profile("p"))
        let plaintext = try AgeFile.decrypt(try fixture.vaultBytes(), identities: [identity])
        let json = try JSONSerialization.jsonObject(with: Data(plaintext.withUnsafeBytes { Array($0) })) as? [String: Any]
        #expect(json?["version"] as? Int == 1)
        let profiles = json?["profiles"] as? [String: [String: String]]
        #expect(profiles == ["p": ["api_key": "k\u{1}", "api_secret": "s"]])
    }

    @Test func aNewVaultUsesTheIdentityWhenThereIsOneElseThePassphrase() throws {
        let withIdentity = try VaultFixture()
        try withIdentity.makeIdentity()
        try withIdentity.store(["SYNOFIN_CREDENTIAL_PASSPHRASE": "pw"]).write(F.credentials("k", "s"), for: F.profile("p"))
        #expect(try AgeFile.stanzaTypes(of: try withIdentity.vaultBytes()) == ["X25519"])

        let withPassphrase = try VaultFixture()
        try withPassphrase.store(["SYNOFIN_CREDENTIAL_PASSPHRASE": "pw"]).write(F.credentials("k", "s"), for: F.profile("p"))
        #expect(try AgeFile.stanzaTypes(of: try withPassphrase.vaultBytes()) == ["scrypt"])
    }

    @Test func withNoIdentityNoPassphraseAndNoPromptTheFirstWriteFailsWithExit4() throws {
        let fixture = try VaultFixture()
        let failure = F.failure { try fixture.store().write(F.credentials("k", "s"), for: F.profile("p")) }
        #expect(failure?.code == .storeUnavailable)
        #expect(failure?.message.contains("synofin-credential vault keygen") == true)
        #expect(failure?.message.contains("SYNOFIN_CREDENTIAL_PASSPHRASE_FILE") == true)
        #expect(!FileManager.default.fileExists(atPath: fixture.vaultPath))
    }

    @Test func laterSavesKeepTheWayTheVaultWasOpened() throws {
        let fixture = try VaultFixture()
        let environment = ["SYNOFIN_CREDENTIAL_PASSPHRASE": "pw"]
        try fixture.store(environment).write(F.credentials("k", "s"), for: F.profile("one"))
        // An identity appearing later does not take over a passphrase vault.
        try fixture.makeIdentity()
        try fixture.store(environment).write(F.credentials("k", "s"), for: F.profile("two"))
        #expect(try AgeFile.stanzaTypes(of: try fixture.vaultBytes()) == ["scrypt"])
        let contents = try fixture.contents(identities: [ScryptIdentity(passphrase: SecretBytes(Array("pw".utf8)))])
        #expect(Set(contents.profiles.keys) == ["one", "two"])
    }

    @Test func everySaveReencryptsWithAFreshFileKey() throws {
        let fixture = try VaultFixture()
        try fixture.makeIdentity()
        try fixture.store().write(F.credentials("k", "s"), for: F.profile("p"))
        let first = try fixture.vaultBytes()
        try fixture.store().write(F.credentials("k", "s"), for: F.profile("p"))
        let second = try fixture.vaultBytes()
        #expect(first.count == second.count)
        let firstHeader = try AgeHeader.parse(first).header, secondHeader = try AgeHeader.parse(second).header
        #expect(firstHeader.stanzas[0].arguments != secondHeader.stanzas[0].arguments, "a fresh ephemeral share")
        #expect(firstHeader.mac != secondHeader.mac, "a fresh file key")
    }

    @Test func aVaultOthersCanReadIsRefusedWithChmod600() throws {
        let fixture = try VaultFixture()
        try fixture.makeIdentity()
        try fixture.store().write(F.credentials("k", "s"), for: F.profile("p"))
        chmod(fixture.vaultPath, 0o644)
        let failure = F.failure { _ = try fixture.store().read(profile: F.profile("p")) }
        #expect(failure?.code == .storeUnavailable)
        #expect(failure?.message.contains("chmod 600 \(fixture.vaultPath)") == true)
        #expect(fixture.store().unavailableReason()?.contains("chmod 600") == true)
    }

    @Test func anIdentityFileOthersCanReadIsRefusedWithChmod600() throws {
        let fixture = try VaultFixture()
        try fixture.makeIdentity()
        try fixture.store().write(F.credentials("k", "s"), for: F.profile("p"))
        chmod(fixture.defaultIdentityPath, 0o640)
        let failure = F.failure { _ = try fixture.store().read(profile: F.profile("p")) }
        #expect(failure?.code == .storeUnavailable)
        #expect(failure?.message.contains("chmod 600 \(fixture.defaultIdentityPath)") == true)
    }

    @Test func unavailableReasonAlreadyReportsAnIdentityFileOthersCanRead() throws {
        let fixture = try VaultFixture()
        try fixture.makeIdentity(mode: 0o644)
        #expect(fixture.store().unavailableReason()?.contains("chmod 600 \(fixture.defaultIdentityPath)") == true)
        #expect(fixture.store().keySourceDescription() == nil)
        chmod(fixture.defaultIdentityPath, 0o400)
        #expect(fixture.store().unavailableReason() == nil)
        #expect(fixture.store().keySourceDescription() == "the identity in \(fixture.defaultIdentityPath)")
    }

    /// ssh's rule: only a file of ours has a mode we could fix. A secret that root provisioned
    /// for us through a group (a Kubernetes volume with fsGroup) is used.
    @Test(.enabled(if: getuid() == 0, "needs root to give a file to another user"))
    func anIdentityFileOwnedByAnotherUserIsAcceptedAsSshDoes() throws {
        let fixture = try VaultFixture()
        let identity = try fixture.makeIdentity(mode: 0o640)
        #expect(chown(fixture.defaultIdentityPath, 65534, 65534) == 0)
        try fixture.store().write(F.credentials("k", "s"), for: F.profile("p"))
        #expect(try fixture.contents(identities: [identity]).profiles.keys.sorted() == ["p"])
    }

    @Test func aWrongIdentityIsExit4AndTheMessageNamesTheSourceTried() throws {
        let fixture = try VaultFixture()
        try fixture.makeIdentity()
        try fixture.store().write(F.credentials("k", "s"), for: F.profile("p"))
        let before = try fixture.vaultBytes()
        let other = fixture.directory.file("other.txt")
        try fixture.makeIdentity(at: other)
        let store = fixture.store(["SYNOFIN_CREDENTIAL_IDENTITY": other])
        let failure = F.failure { _ = try store.read(profile: F.profile("p")) }
        #expect(failure?.code == .storeUnavailable)
        #expect(failure?.message.contains("the identity in $SYNOFIN_CREDENTIAL_IDENTITY (\(other)) does not open") == true)
        #expect(failure?.message.contains(fixture.vaultPath) == true)
        #expect(F.failure { try store.write(F.credentials("k", "s"), for: F.profile("q")) }?.code == .storeUnavailable)
        #expect(try fixture.vaultBytes() == before)
    }

    @Test func aWrongPassphraseIsExit4AndTheMessageNamesTheSourceTried() throws {
        let fixture = try VaultFixture()
        try fixture.store(["SYNOFIN_CREDENTIAL_PASSPHRASE": "right"]).write(F.credentials("k", "s"), for: F.profile("p"))
        let file = fixture.directory.file("passphrase")
        try fixture.write("wrong\n", to: file)
        let failure = F.failure { _ = try fixture.store(["SYNOFIN_CREDENTIAL_PASSPHRASE_FILE": file]).read(profile: F.profile("p")) }
        #expect(failure?.code == .storeUnavailable)
        #expect(failure?.message.contains("the passphrase in $SYNOFIN_CREDENTIAL_PASSPHRASE_FILE (\(file)) does not open") == true)
    }

    @Test func aPassphraseVaultWithNoPassphraseHereSaysHowToGiveOne() throws {
        let fixture = try VaultFixture()
        try fixture.store(["SYNOFIN_CREDENTIAL_PASSPHRASE": "pw"]).write(F.credentials("k", "s"), for: F.profile("p"))
        try fixture.makeIdentity()
        let failure = F.failure { _ = try fixture.store().read(profile: F.profile("p")) }
        #expect(failure?.code == .storeUnavailable)
        #expect(failure?.message.contains("SYNOFIN_CREDENTIAL_PASSPHRASE_FILE") == true)
        #expect(fixture.store().unavailableReason() != nil)
        #expect(fixture.store(mayPrompt: true).unavailableReason() == nil)
    }

    /// Truncations at every interesting place, a flipped payload byte, and garbage: each is a
    /// clear error, and the file is byte-for-byte what it was, for reads, writes and removes.
    @Test func aCorruptOrTruncatedVaultIsAnErrorAndIsLeftUntouched() throws {
        let fixture = try VaultFixture()
        try fixture.makeIdentity()
        try fixture.store().write(F.credentials("k", "s"), for: F.profile("p"))
        let good = try fixture.vaultBytes()
        let payloadStart = try AgeHeader.parse(good).payloadStart
        var flipped = good
        flipped[good.count - 5] ^= 0x01
        let damaged: [[UInt8]] = [[], Array(good[0..<10]), Array(good[0..<(payloadStart - 10)]), Array(good[0..<(payloadStart + 8)]),
                                  Array(good[0..<(good.count - 1)]), flipped, Array("not an age file\n".utf8)]
        for bytes in damaged {
            try fixture.write(bytes, to: fixture.vaultPath)
            let store = fixture.store()
            for action in [{ _ = try store.read(profile: F.profile("p")) },
                           { try store.write(F.credentials("k", "s"), for: F.profile("q")) },
                           { try store.remove(profile: F.profile("p")) }] {
                let failure = F.failure(action)
                #expect(failure?.code == .failure, "\(bytes.count) bytes")
                #expect(failure?.message.contains("cannot be read") == true)
                #expect(failure?.message.contains("left exactly as it is") == true)
                #expect(try fixture.vaultBytes() == bytes)
            }
        }
    }

    @Test func removingTheLastProfileLeavesAnEmptyVault() throws {
        let fixture = try VaultFixture()
        let identity = try fixture.makeIdentity()
        try fixture.store().write(F.credentials("k", "s"), for: F.profile("p"))
        try fixture.store().remove(profile: F.profile("p"))
        #expect(try fixture.contents(identities: [identity]).profiles.isEmpty)
        // Removing what is not there changes nothing.
        let before = try fixture.vaultBytes()
        try fixture.store().remove(profile: F.profile("p"))
        #expect(try fixture.vaultBytes() == before)
    }

    @Test func removeWithNoVaultIsNotAnError() throws {
        let fixture = try VaultFixture()
        try fixture.store().remove(profile: F.profile("p"))
        #expect(!FileManager.default.fileExists(atPath: fixture.vaultPath))
    }

    @Test func identitySourcesAreTriedInSpecOrder() throws {
        let fixture = try VaultFixture()
        let credentials = fixture.directory.file("credentials")
        let variable = fixture.directory.file("variable.txt")
        try fixture.makeIdentity()
        var sources = fixture.store(["CREDENTIALS_DIRECTORY": credentials]).sources
        #expect(try sources.identity() == .identityFile(path: fixture.defaultIdentityPath, via: .defaultPath))
        try fixture.makeIdentity(at: credentials + "/synofin-credential.identity")
        sources = fixture.store(["CREDENTIALS_DIRECTORY": credentials]).sources
        #expect(try sources.identity() == .identityFile(path: credentials + "/synofin-credential.identity",
                                                          via: .systemdCredential("synofin-credential.identity")))
        try fixture.makeIdentity(at: variable)
        sources = fixture.store(["CREDENTIALS_DIRECTORY": credentials, "SYNOFIN_CREDENTIAL_IDENTITY": variable]).sources
        #expect(try sources.identity() == .identityFile(path: variable, via: .variable("SYNOFIN_CREDENTIAL_IDENTITY")))
        // A variable that names a missing file is an error, not a silent fall-through.
        sources = fixture.store(["SYNOFIN_CREDENTIAL_IDENTITY": fixture.directory.file("typo.txt")]).sources
        #expect(throws: VaultError.self) { try sources.identity() }
    }

    @Test func passphraseSourcesAreTriedInSpecOrderAndThePromptOnlyWhenAllowed() throws {
        let fixture = try VaultFixture()
        let credentials = fixture.directory.file("credentials")
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        let file = fixture.directory.file("passphrase")
        #expect(try fixture.store().sources.passphrase() == nil)
        #expect(try fixture.store(mayPrompt: true).sources.passphrase() == .prompt)
        var environment = ["SYNOFIN_CREDENTIAL_PASSPHRASE": "pw", "CREDENTIALS_DIRECTORY": credentials]
        #expect(try fixture.store(environment, mayPrompt: true).sources.passphrase() == .passphraseVariable)
        try fixture.write("pw\n", to: credentials + "/synofin-credential.passphrase")
        #expect(try fixture.store(environment).sources.passphrase()
            == .passphraseFile(path: credentials + "/synofin-credential.passphrase", via: .systemdCredential("synofin-credential.passphrase")))
        try fixture.write("pw\n", to: file)
        environment["SYNOFIN_CREDENTIAL_PASSPHRASE_FILE"] = file
        #expect(try fixture.store(environment).sources.passphrase()
            == .passphraseFile(path: file, via: .variable("SYNOFIN_CREDENTIAL_PASSPHRASE_FILE")))
    }

    @Test func aPassphraseFileLosesOneTrailingNewlineAndNothingElse() throws {
        let fixture = try VaultFixture()
        let file = fixture.directory.file("passphrase")
        try fixture.write("pw \n\n", to: file)
        try fixture.store(["SYNOFIN_CREDENTIAL_PASSPHRASE_FILE": file]).write(F.credentials("k", "s"), for: F.profile("p"))
        // The passphrase is "pw \n": one newline dropped, the space and the other newline kept.
        let contents = try fixture.contents(identities: [ScryptIdentity(passphrase: SecretBytes(Array("pw \n".utf8)))])
        #expect(contents.profiles.keys.sorted() == ["p"])
        // A CRLF goes as a whole (a file written on Windows).
        try fixture.write("pw\r\n", to: file)
        let key = try VaultKey.load(.passphraseFile(path: file, via: .defaultPath), vault: "v", isNew: false,
                                    environment: Environment([:]), workFactor: 10)
        let sealed = try AgeFile.encrypt(SecretBytes([1]), to: [ScryptRecipient(passphrase: SecretBytes(Array("pw".utf8)), workFactor: 10)])
        #expect(throws: Never.self) { try AgeFile.decrypt(sealed, identities: key.identities) }
    }

    @Test func anEmptyPassphraseIsRefused() throws {
        let fixture = try VaultFixture()
        let file = fixture.directory.file("passphrase")
        try fixture.write("\n", to: file)
        let failure = F.failure { try fixture.store(["SYNOFIN_CREDENTIAL_PASSPHRASE_FILE": file]).write(F.credentials("k", "s"), for: F.profile("p")) }
        #expect(failure?.message.contains("is empty") == true)
        #expect(!FileManager.default.fileExists(atPath: fixture.vaultPath))
    }

    @Test func unavailableReasonIsNilWhenAKeyCanBeHadAndSaysTheFixOtherwise() throws {
        let fixture = try VaultFixture()
        let reason = try #require(fixture.store().unavailableReason())
        #expect(reason.contains("vault keygen"))
        #expect(fixture.store(mayPrompt: true).unavailableReason() == nil)
        #expect(fixture.store(["SYNOFIN_CREDENTIAL_PASSPHRASE": "pw"]).unavailableReason() == nil)
        try fixture.makeIdentity()
        #expect(fixture.store().unavailableReason() == nil)
    }

    @Test func eightConcurrentWritersInThreadsLoseNoProfile() throws {
        let fixture = try VaultFixture()
        let identity = try fixture.makeIdentity()
        let errors = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            do {
                try fixture.store().write(F.credentials("key-\(index)", "secret-\(index)"), for: F.profile("p\(index)"))
            } catch {
                errors.append("\(error)")
            }
        }
        #expect(errors.items.isEmpty)
        let contents = try fixture.contents(identities: [identity])
        #expect(contents.profiles.keys.sorted() == (0..<8).map { "p\($0)" })
        for index in 0..<8 { #expect(F.text(contents.profiles["p\(index)"]!.apiSecret) == "secret-\(index)") }
    }
}

/// Errors gathered from concurrent threads.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var items: [String] = []
    func append(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
}
