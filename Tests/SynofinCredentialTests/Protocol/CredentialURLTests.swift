import Testing
@testable import SynofinCredential

@Suite struct HostAndPortTests {
    @Test func aHostWithoutPortHasNone() {
        #expect(HostAndPort("Example.COM") == HostAndPort("example.com"))
        #expect(HostAndPort("example.com").port == nil)
    }

    @Test func aPortIsSplitOff() {
        let host = HostAndPort("example.com:8443")
        #expect(host.hostname == "example.com")
        #expect(host.port == 8443)
    }

    @Test func anIPv6LiteralKeepsItsBrackets() {
        #expect(HostAndPort("[::1]").hostname == "[::1]")
        #expect(HostAndPort("[::1]:8080").port == 8080)
    }
}

@Suite struct ServiceURLTests {
    @Test func theDefaultPortIsDropped() throws {
        #expect(try ServiceURL(parsing: "https://api.example:443/").baseString == "https://api.example")
    }

    @Test func aBasePathIsKept() throws {
        #expect(try ServiceURL(parsing: "https://api.example/lms/").baseString == "https://api.example/lms")
    }

    @Test(arguments: ["ftp://x.example", "https://user@x.example", "https://x.example/?q=1", "x.example", "https://"])
    func anUnusableURLIsRefused(text: String) {
        #expect(throws: ServiceURL.Invalid.self) { try ServiceURL(parsing: text) }
    }

    @Test(arguments: ["http://127.0.0.1:8080", "http://localhost", "http://[::1]:9", "http://127.1.2.3"])
    func loopbackAddressesAreRecognised(text: String) throws {
        #expect(try ServiceURL(parsing: text).isLoopback)
    }

    @Test(arguments: ["http://128.0.0.1", "http://localhost.example.com", "https://api-preprod.synofin.tech"])
    func otherAddressesAreNotLoopback(text: String) throws {
        #expect(try !ServiceURL(parsing: text).isLoopback)
    }

    @Test func aRequestMatchesByProtocolHostAndPort() throws {
        let url = try ServiceURL(parsing: "https://api.example")
        #expect(url.matches(protocol: "https", host: "api.example"))
        #expect(url.matches(protocol: "https", host: "API.example:443"))
        #expect(!url.matches(protocol: "http", host: "api.example"))
        #expect(!url.matches(protocol: "https", host: "api.example:8443"))
        #expect(!url.matches(protocol: "https", host: "other.example"))
    }
}
