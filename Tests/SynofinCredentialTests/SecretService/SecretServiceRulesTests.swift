import Foundation
import Testing
@testable import SynofinCredential

/// The rules that need no daemon: where the bus is, what the item holds, when a prompt may show.
@Suite struct SecretServiceRulesTests {
    @Test func theBusAddressVariableWinsAndIsUsedAsGiven() throws {
        let address = try SecretServiceBus.address(in: Environment(["DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"]))
        #expect(address == "unix:path=/run/user/1000/bus")
    }

    @Test func autolaunchAlternativesAreDroppedFromTheBusAddress() throws {
        let address = try SecretServiceBus.address(
            in: Environment(["DBUS_SESSION_BUS_ADDRESS": "autolaunch:;unix:path=/run/user/1000/bus"]))
        #expect(address == "unix:path=/run/user/1000/bus")
        #expect(throws: SecretServiceError.autolaunchRefused) {
            try SecretServiceBus.address(in: Environment(["DBUS_SESSION_BUS_ADDRESS": "autolaunch:"]))
        }
    }

    @Test func withoutTheVariableTheRuntimeDirectoryBusSocketIsUsed() throws {
        let directory = try TemporaryDirectory()
        let socket = try SilentSocket(path: directory.file("bus"))
        let address = try SecretServiceBus.address(in: Environment(["XDG_RUNTIME_DIR": directory.path]))
        #expect(address == "unix:path=" + SecretServiceBus.escaped(socket.path))
    }

    @Test func aRuntimeDirectoryWithoutABusSocketMeansNoBus() throws {
        let directory = try TemporaryDirectory()
        _ = FileManager.default.createFile(atPath: directory.file("bus"), contents: Data())
        #expect(throws: SecretServiceError.noSessionBus) {
            try SecretServiceBus.address(in: Environment(["XDG_RUNTIME_DIR": directory.path]))
        }
    }

    @Test func busAddressValuesEscapeBytesOutsideTheSafeSet() {
        #expect(SecretServiceBus.escaped("/run/user/1000/bus") == "/run/user/1000/bus")
        #expect(SecretServiceBus.escaped("/tmp/a b;c=d") == "/tmp/a%20b%3bc%3dd")
    }

    @Test func thePayloadHoldsTheKeyAndSecretAsTwoLines() throws {
        let payload = try SecretServicePayload.encode(testCredentials(key: "the-key", secret: "the=secret"))
        #expect(payload.testText == "api_key=the-key\napi_secret=the=secret\n")
        let decoded = try #require(SecretServicePayload.decode(payload))
        #expect(decoded.apiKey.testText == "the-key")
        #expect(decoded.apiSecret.testText == "the=secret")
    }

    @Test func thePayloadParserAcceptsCRLFAndUnknownLinesInAnyOrder() throws {
        let decoded = try #require(SecretServicePayload.decode(SecretBytes(Array("note=x\r\napi_secret=s\r\napi_key=k".utf8))))
        #expect(decoded.apiKey.testText == "k")
        #expect(decoded.apiSecret.testText == "s")
    }

    @Test func aPayloadMissingEmptyOrRepeatingALineIsRejected() {
        for text in ["api_key=k\n", "api_secret=s\n", "api_key=\napi_secret=s\n", "api_key=a\napi_key=b\napi_secret=s\n", "password"] {
            #expect(SecretServicePayload.decode(SecretBytes(Array(text.utf8))) == nil, "\(text)")
        }
    }

    @Test func aKeyOrSecretThatWouldBreakTheLinesIsRefused() {
        for (key, secret) in [("k\n", "s"), ("k", "s\r"), ("", "s"), ("k", "a\u{0}b")] {
            #expect(throws: SecretServicePayload.Unencodable.self) {
                try SecretServicePayload.encode(testCredentials(key: key, secret: secret))
            }
        }
    }

    @Test func theItemIsLabelledForPeopleAndFoundByProfileName() throws {
        let item = SecretServiceItem(profile: try testProfile("preprod"))
        #expect(item.label == "Synofin LMS API key (profile preprod)")
        #expect(item.attributes.map { $0.0 } == ["profile", "url", "client-name"])
        #expect(item.attributes.map { $0.1 } == ["preprod", "https://api-preprod.synofin.tech", "sindhuja-mfi"])
        #expect(item.lookupAttributes.map { $0.0 } == ["profile"])
    }

    @Test func anUnlockPromptIsPossibleOnlyWithPermissionToAskAndADisplay() {
        func possible(_ variables: [String: String], mayPrompt: Bool) -> Bool {
            SecretServiceStore(context: secretServiceContext(variables, mayPrompt: mayPrompt)).promptPossible
        }
        #expect(possible(["DISPLAY": ":0"], mayPrompt: true))
        #expect(possible(["WAYLAND_DISPLAY": "wayland-0"], mayPrompt: true))
        #expect(!possible(["DISPLAY": ":0"], mayPrompt: false))
        #expect(!possible([:], mayPrompt: true))
    }

    @Test func onlyAPromptMayExtendTheTimeLimitAndAPendingPromptIsNeverCancelled() {
        let limits = SecretServiceLimits()
        #expect(limits.connect.seconds == 5 && limits.connect.mayCancel)
        #expect(limits.read(promptPossible: false).seconds == 5)
        #expect(limits.change(promptPossible: false).seconds == 5)
        #expect(limits.unlock.seconds == 120 && !limits.unlock.mayCancel)
        #expect(limits.change(promptPossible: true).seconds == 120 && !limits.change(promptPossible: true).mayCancel)
        #expect(limits.unlock.hangMessage.hasPrefix("synofin-credential: error: "))
    }

    @Test func everyStoreUnavailableMessageNamesTheFileStoreAsAWayOut() {
        let errors: [SecretServiceError] = [
            .libraryMissing(detail: "libsecret is not installed (no libsecret-1.so.0)"), .noSessionBus, .autolaunchRefused,
            .busUnreachable(address: "unix:path=/x", detail: "gone"), .noService(detail: "d"), .noDefaultCollection,
            .locked(promptPossible: false), .locked(promptPossible: true), .promptDismissed, .timedOut(seconds: 5),
            .failed(detail: "d"),
        ]
        for error in errors {
            #expect(error.exitCode == .storeUnavailable)
            #expect(error.message.contains("--store file"), "\(error)")
        }
        #expect(SecretServiceError.libraryMissing(detail: "x").message.contains("apt install libsecret-1-0"))
        #expect(SecretServiceError.locked(promptPossible: false).message.contains("gnome-keyring-daemon --replace --unlock"))
    }
}
