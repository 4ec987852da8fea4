import Testing
@testable import SynofinCredential

@Suite struct InvocationTests {
    @Test func theFirstWordAfterTheOptionsIsTheCommand() throws {
        let invocation = try Invocation.parse(["--profile", "p", "-v", "get"])
        #expect(invocation.command == "get")
        #expect(invocation.value("profile") == "p")
        #expect(invocation.flag("verbose"))
    }

    @Test func optionsMayFollowTheCommand() throws {
        let invocation = try Invocation.parse(["token", "--json", "--profile=prod"])
        #expect(invocation.command == "token")
        #expect(invocation.flag("json"))
        #expect(invocation.value("profile") == "prod")
    }

    @Test func everythingAfterDoubleDashIsPassedOn() throws {
        let invocation = try Invocation.parse(["exec", "--", "curl", "-H", "--profile", "x"])
        #expect(invocation.trailing == ["curl", "-H", "--profile", "x"])
        #expect(invocation.value("profile") == nil)
    }

    @Test func laterWordsAreArguments() throws {
        #expect(try Invocation.parse(["vault", "keygen"]).arguments == ["keygen"])
    }

    @Test func anUnknownOptionIsAUsageError() {
        #expect(throws: UsageError.self) { try Invocation.parse(["get", "--api-secret=x"]) }
        #expect(throws: UsageError.self) { try Invocation.parse(["-x", "get"]) }
    }

    @Test func aValueOptionWithoutItsValueIsAUsageError() {
        #expect(throws: UsageError.self) { try Invocation.parse(["get", "--profile"]) }
    }

    @Test func aFlagGivenAValueIsAUsageError() {
        #expect(throws: UsageError.self) { try Invocation.parse(["status", "--json=yes"]) }
    }

    @Test func aCommandRefusesOptionsItDoesNotTake() throws {
        let invocation = try Invocation.parse(["status", "--stdin"])
        #expect(throws: UsageError.self) { try invocation.checkOptions(allowed: ["json"], command: "status") }
    }
}
