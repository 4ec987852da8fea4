import Foundation
import Testing

/// The built helper with `--store secret-service`, against a real gnome-keyring-daemon on a
/// private bus. Token exchanges are left to the command tests: `login --no-verify` needs none,
/// and every `get` here fails before it would reach the network.
@Suite struct SecretServiceCommandTests {
    private static let login = ["login", "--profile", "preprod", "--url", "https://api-preprod.synofin.tech",
                                "--client-name", "acme", "--store", "secret-service", "--stdin", "--no-verify"]
    private static let request = "protocol=https\nhost=api-preprod.synofin.tech\n\n"

    @Test func loginStoresTheItemWhereSecretToolSeesItAndLogoutRemovesIt_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        let directory = try TemporaryDirectory()
        let environment = isolatedEnvironment(in: directory, extra: session.environment)

        let login = try runHelper(Self.login, environment: environment, input: "api_key=K-1\napi_secret=S-1\n")
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdout.isEmpty)
        #expect(!login.stderr.contains("S-1"))
        let found = try session.secretTool(["search", "profile", "preprod"])
        #expect((found.stdout + found.stderr).contains("label = Synofin LMS API key (profile preprod)"))
        #expect((found.stdout + found.stderr).contains("attribute.client-name = acme"))

        let logout = try runHelper(["logout", "--profile", "preprod"], environment: environment)
        #expect(logout.status == 0, "\(logout.stderr)")
        let gone = try session.secretTool(["search", "profile", "preprod"])
        #expect(!(gone.stdout + gone.stderr).contains("Synofin"))
    }

    @Test func getWithALockedKeyringExits4WithinTheLimitAndLeavesTheItem_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        let directory = try TemporaryDirectory()
        let environment = isolatedEnvironment(in: directory, extra: session.environment)
        #expect(try runHelper(Self.login, environment: environment, input: "api_key=K-1\napi_secret=S-1\n").status == 0)
        try session.lockDefaultCollection()

        let get = try runHelper(["get"], environment: environment, input: Self.request, timeout: 30)
        #expect(get.status == 4)
        #expect(get.stdout.isEmpty)
        #expect(get.stderr.contains("locked"))
        #expect(get.stderr.contains("--store file"))
        #expect(get.seconds < 5)
        let search = try session.secretTool(["search", "profile", "preprod"])
        #expect((search.stdout + search.stderr).contains("label = Synofin LMS API key (profile preprod)"))
    }

    @Test func getWithoutASessionBusExits4InUnder2Seconds_realKeyringDaemon() throws {
        let session = try SecretServiceSession.start()
        let directory = try TemporaryDirectory()
        let environment = isolatedEnvironment(in: directory, extra: session.environment)
        #expect(try runHelper(Self.login, environment: environment, input: "api_key=K-1\napi_secret=S-1\n").status == 0)

        var overSSH = environment
        overSSH["DBUS_SESSION_BUS_ADDRESS"] = nil
        overSSH["DISPLAY"] = ":0"  // must not matter: D-Bus is never autolaunched
        let get = try runHelper(["get"], environment: overSSH, input: Self.request, timeout: 30)
        #expect(get.status == 4)
        #expect(get.stdout.isEmpty)
        #expect(get.stderr.contains("no D-Bus session bus"))
        #expect(get.seconds < 2)
    }

    @Test func getOnABusWithoutASecretServiceExits4WithinTheLimit_realDBusDaemon() throws {
        let keyring = try SecretServiceSession.start()
        let bare = try SecretServiceSession.start(withKeyring: false)
        let directory = try TemporaryDirectory()
        let environment = isolatedEnvironment(in: directory, extra: keyring.environment)
        #expect(try runHelper(Self.login, environment: environment, input: "api_key=K-1\napi_secret=S-1\n").status == 0)

        let get = try runHelper(["get"], environment: isolatedEnvironment(in: directory, extra: bare.environment),
                                input: Self.request, timeout: 30)
        #expect(get.status == 4)
        #expect(get.stdout.isEmpty)
        #expect(get.stderr.contains("org.freedesktop.secrets"))
        #expect(get.seconds < 5)
    }
}
