import Foundation
import Testing
@testable import SynofinCredential

/// The store against a real gnome-keyring-daemon on a private bus.
@Suite struct SecretServiceStoreTests {
    @Test func writtenItemIsVisibleToSecretToolWithItsAttributesAndLabel_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        let store = SecretServiceStore(context: secretServiceContext(session.environment))
        let profile = try testProfile("preprod")
        try store.write(testCredentials(key: "key-123", secret: "secret-456"), for: profile)

        let search = try session.secretTool(["search", "profile", "preprod"])
        let shown = search.stdout + search.stderr
        #expect(search.status == 0)
        #expect(shown.contains("label = Synofin LMS API key (profile preprod)"))
        #expect(shown.contains("schema = tech.synofin.Credential"))
        #expect(shown.contains("attribute.profile = preprod"))
        #expect(shown.contains("attribute.url = https://api-preprod.synofin.tech"))
        #expect(shown.contains("attribute.client-name = sindhuja-mfi"))
        #expect(shown.contains("secret = api_key=key-123\napi_secret=secret-456"))
    }

    @Test func readReturnsTheKeyAndSecretThatWereWritten_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        let store = SecretServiceStore(context: secretServiceContext(session.environment))
        let profile = try testProfile("preprod")
        try store.write(testCredentials(key: "key-123", secret: "s3cr3t=with=equals"), for: profile)

        let read = try store.read(profile: profile)
        #expect(read.apiKey.testText == "key-123")
        #expect(read.apiSecret.testText == "s3cr3t=with=equals")
    }

    @Test func removeDeletesTheItemAndIsQuietWhenItIsAlreadyGone_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        let store = SecretServiceStore(context: secretServiceContext(session.environment))
        let profile = try testProfile("preprod")
        try store.write(testCredentials(key: "k", secret: "s"), for: profile)

        try store.remove(profile: profile)
        #expect(throws: StoreError.self) { try store.read(profile: profile) }
        let search = try session.secretTool(["search", "profile", "preprod"])
        #expect(!(search.stdout + search.stderr).contains("Synofin"))
        try store.remove(profile: profile)
    }

    @Test func twoProfilesDoNotSeeEachOthersSecrets_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        let store = SecretServiceStore(context: secretServiceContext(session.environment))
        let preprod = try testProfile("preprod")
        let production = try testProfile("production", url: "https://api.synofin.tech", clientName: "other")
        try store.write(testCredentials(key: "key-a", secret: "secret-a"), for: preprod)
        try store.write(testCredentials(key: "key-b", secret: "secret-b"), for: production)

        #expect(try store.read(profile: preprod).apiKey.testText == "key-a")
        #expect(try store.read(profile: production).apiSecret.testText == "secret-b")
        try store.remove(profile: preprod)
        #expect(throws: StoreError.self) { try store.read(profile: preprod) }
        #expect(try store.read(profile: production).apiKey.testText == "key-b")
    }

    @Test func writeReplacesTheProfilesItemEvenWhenItsURLChanged_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        let store = SecretServiceStore(context: secretServiceContext(session.environment))
        try store.write(testCredentials(key: "old-key", secret: "old-secret"), for: try testProfile("preprod"))
        let moved = try testProfile("preprod", url: "https://api-preprod2.synofin.tech", clientName: "renamed")
        try store.write(testCredentials(key: "new-key", secret: "new-secret"), for: moved)

        #expect(try store.read(profile: moved).apiKey.testText == "new-key")
        let search = try session.secretTool(["search", "--all", "profile", "preprod"])
        let shown = search.stdout + search.stderr
        #expect(shown.components(separatedBy: "label = ").count - 1 == 1)
        #expect(shown.contains("attribute.url = https://api-preprod2.synofin.tech"))
    }

    @Test func readOfAProfileWithNoItemIsNotFound_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        let store = SecretServiceStore(context: secretServiceContext(session.environment))
        let error = #expect(throws: StoreError.self) { try store.read(profile: try testProfile("absent")) }
        guard case .notFound(let profile, .secretService)? = error else {
            Issue.record("expected notFound, got \(String(describing: error))")
            return
        }
        #expect(profile == "absent")
    }

    @Test func unlockedKeyringIsReportedReady_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        let store = SecretServiceStore(context: secretServiceContext(session.environment))
        #expect(store.state() == .ready)
        #expect(store.unavailableReason() == nil)
        #expect(store.isLocked == false)
    }

    @Test func itemsWrittenByOtherToolsWithoutOurLinesAreReportedDamaged_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        let store = SecretServiceStore(context: secretServiceContext(session.environment))
        let written = try run("/usr/bin/env", ["secret-tool", "store", "--label=hand-made", "xdg:schema", "tech.synofin.Credential",
                                               "profile", "hand"],
                              environment: session.daemonEnvironment, input: "just-a-password", timeout: 10)
        #expect(written.status == 0)
        let error = #expect(throws: SecretServiceError.self) { try store.read(profile: try testProfile("hand")) }
        #expect(error == .damagedItem(profile: "hand"))
    }
}
