import Testing
@testable import SynofinCredential

@Suite struct TokenResponseTests {
    func decode(_ json: String) -> TokenResponse? {
        let bytes = SecretBytes(Array(json.utf8))
        return TokenResponse.decode(bytes, length: bytes.count)
    }

    let success = """
        {"response": true, "data": {"response": true, "user_data": {"apiKey": "K", "apiSecret": "S"},
         "auth_data": {"access_token": "abc.def", "service_token": "x", "expires_in": 3600}, "error_message": null}, "error": null}
        """

    @Test func theDocumentedSuccessBodyDecodes() throws {
        let response = try #require(decode(success))
        #expect(response.response == true)
        #expect(response.data?.authData?.accessToken == .string("abc.def"))
        #expect(response.expiresIn == 3600)
    }

    @Test func expiresInMayBeANumericString() throws {
        #expect(decode(#"{"data": {"auth_data": {"expires_in": "3600"}}}"#)?.expiresIn == 3600)
        #expect(decode(#"{"data": {"auth_data": {"expires_in": 3600.0}}}"#)?.expiresIn == 3600)
        #expect(decode(#"{"data": {"auth_data": {"expires_in": "soon"}}}"#)?.expiresIn == nil)
    }

    @Test func theErrorMessageComesFromErrorAsStringOrObjectOrFromDataErrorMessage() {
        #expect(decode(#"{"response": false, "error": "Invalid key"}"#)?.serverMessage == "Invalid key")
        #expect(decode(#"{"response": false, "error": {"code": "X", "message": "Revoked"}}"#)?.serverMessage == "Revoked")
        #expect(decode(#"{"response": false, "error": null, "data": {"error_message": "Expired"}}"#)?.serverMessage == "Expired")
    }

    @Test func aFieldOfTheWrongTypeDoesNotHideTheRest() {
        let response = decode(#"{"response": "yes", "data": {"auth_data": {"access_token": 12, "expires_in": 60}}, "error": "boom"}"#)
        #expect(response?.serverMessage == "boom")
        #expect(response?.expiresIn == 60)
    }

    @Test func aBodyThatIsNotJSONDoesNotDecode() {
        #expect(decode("{\"response\": tru") == nil)
        #expect(decode("<html>502</html>") == nil)
    }

    @Test func serverTextIsMadePrintable() {
        #expect(ExchangeError.printable("bad\u{1b}[2Jthing\nnext") == "bad?[2Jthing?next")
        #expect(ExchangeError.printable(String(repeating: "x", count: 500)).count == 203)
    }
}
