import Foundation
import Testing
@testable import SynofinCredential

/// One case per rule of git's credential format, as the reader applies it.
@Suite struct CredentialReaderTests {
    func parse(_ text: String) throws -> CredentialRequest {
        try CredentialReader.parse(Array(text.utf8))
    }

    @Test func keyValueLinesAreSplitAtTheFirstEquals() throws {
        let request = try parse("protocol=https\nhost=example.com\npassword=a=b=c\n\n")
        #expect(request.protocolName == "https")
        #expect(request.host == "example.com")
        #expect(request.password == "a=b=c")
    }

    @Test func inputEndsAtEOFWithoutABlankLine() throws {
        let request = try parse("protocol=https\nhost=example.com")
        #expect(request.host == "example.com")
    }

    @Test func aBlankLineEndsTheInputAndLaterLinesAreIgnored() throws {
        let request = try parse("protocol=https\n\nhost=evil.example\n")
        #expect(request.protocolName == "https")
        #expect(request.host == nil)
    }

    @Test func emptyInputIsAnEmptyRequest() throws {
        #expect(try parse("") == CredentialRequest())
    }

    @Test func oneTrailingCarriageReturnIsStripped() throws {
        let request = try parse("protocol=https\r\nhost=example.com\r\n\r\n")
        #expect(request.protocolName == "https")
        #expect(request.host == "example.com")
    }

    @Test func onlyOneCarriageReturnIsStripped() throws {
        let request = try parse("username=a\r\r\n")
        #expect(request.username == "a\r")
    }

    @Test func theLastScalarValueWins() throws {
        #expect(try parse("host=a\nhost=b\n").host == "b")
    }

    @Test func keysAreCaseSensitive() throws {
        let request = try parse("Host=a\n")
        #expect(request.host == nil)
        #expect(request.attributes["Host"] == "a")
    }

    @Test func unknownKeysAreIgnoredButKept() throws {
        let request = try parse("protocol=https\nfrobnicate=yes\nhost=example.com\n")
        #expect(request.host == "example.com")
    }

    @Test func listKeysAppend() throws {
        let request = try parse("wwwauth[]=Basic realm=x\nwwwauth[]=Bearer\n")
        #expect(request.lists["wwwauth"] == ["Basic realm=x", "Bearer"])
    }

    @Test func anEmptyListValueClearsTheList() throws {
        let request = try parse("capability[]=authtype\ncapability[]=\ncapability[]=state\n")
        #expect(request.lists["capability"] == ["state"])
        #expect(!request.acceptsAuthtype)
    }

    @Test func capabilityAuthtypeIsRecognised() throws {
        #expect(try parse("capability[]=authtype\n").acceptsAuthtype)
        #expect(try !parse("capability[]=state\n").acceptsAuthtype)
    }

    @Test func urlIsParsedIntoItsParts() throws {
        let request = try parse("url=https://user:pw@Example.com:8443/some/path/\n")
        #expect(request.protocolName == "https")
        #expect(request.host == "Example.com:8443")
        #expect(request.username == "user")
        #expect(request.password == "pw")
        #expect(request.path == "some/path")
    }

    @Test func urlClearsWhatCameBeforeIt() throws {
        let request = try parse("username=old\npassword=secret\ncapability[]=authtype\nurl=https://example.com\n")
        #expect(request.username == nil)
        #expect(request.password == nil)
        #expect(!request.acceptsAuthtype)
        #expect(request.host == "example.com")
    }

    @Test func attributesAfterURLAreKept() throws {
        let request = try parse("url=https://example.com\nusername=alice\n")
        #expect(request.username == "alice")
    }

    @Test func urlPartsArePercentDecoded() throws {
        let request = try parse("url=https://al%69ce@example.com/a%20b\n")
        #expect(request.username == "alice")
        #expect(request.path == "a b")
    }

    @Test func urlEndsItsHostAtAQueryOrFragment() throws {
        #expect(try parse("url=https://example.com?x=1\n").host == "example.com")
        #expect(try parse("url=https://example.com#frag\n").host == "example.com")
    }

    @Test func urlWithAnEncodedNewlineIsRefused() throws {
        #expect(throws: ProtocolError.badURL) { try parse("url=https://example.com%0ahost=evil\n") }
    }

    @Test func urlWithoutASchemeIsRefused() throws {
        #expect(throws: ProtocolError.badURL) { try parse("url=example.com\n") }
    }

    @Test func aLineWithoutEqualsIsAnError() throws {
        #expect(throws: ProtocolError.missingEquals) { try parse("protocol=https\nnonsense\n") }
    }

    @Test func aNulByteIsAnError() throws {
        #expect(throws: ProtocolError.nulInInput) { try parse("host=a\u{0}b\n") }
    }

    @Test func aLineOf65535BytesIsAccepted() throws {
        let value = String(repeating: "x", count: 65535 - "password=".count)
        #expect(try parse("password=\(value)\n").password == value)
    }

    @Test func aLongerLineIsAnErrorAndCannotInjectAnAttribute() throws {
        // The tail after byte 65535 looks like a host line; it must never be read as one.
        let filler = String(repeating: "x", count: 65536 - "password=".count)
        #expect(throws: ProtocolError.lineTooLong(limit: 65535)) {
            try parse("password=\(filler)host=evil.example\n")
        }
    }

    @Test func theReaderDoesNotWaitForEOFAfterABlankLine() throws {
        // A pipe whose writer stays open: reading must return at the blank line.
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        defer { close(descriptors[0]); close(descriptors[1]) }
        let input = Array("protocol=https\nhost=example.com\n\n".utf8)
        #expect(write(descriptors[1], input, input.count) == input.count)
        let request = try CredentialReader.read(from: descriptors[0])
        #expect(request.host == "example.com")
    }
}

@Suite struct CredentialWriterTests {
    @Test func valuesAreWrittenAsKeyEqualsValueLines() throws {
        var writer = CredentialWriter()
        try writer.add("username", "acme")
        try writer.add("password", "tok=en")
        #expect(writer.text == "username=acme\npassword=tok=en\n")
    }

    @Test(arguments: ["a\nb", "a\rb", "a\u{0}b"])
    func aValueWithCROrLFOrNulIsRefused(value: String) throws {
        var writer = CredentialWriter()
        #expect(throws: ProtocolError.unsafeValue(key: "password")) { try writer.add("password", value) }
    }
}
