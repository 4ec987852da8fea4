import Testing
@testable import SynofinCredential

@Test func invocationTakesTheFirstWordAsTheCommand() throws {
    let invocation = try Invocation.parse(["--profile", "p", "get"])
    #expect(invocation.command == "get")
    #expect(invocation.value("profile") == "p")
}
