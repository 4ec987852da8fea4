import Foundation
import Testing
@testable import SynofinCredential

/// The building blocks of the age format, each rule on its own. The CCTV vectors cover
/// decryption end to end; these cover encryption and the encodings both ways.
@Suite struct AgeFormatTests {
    // MARK: base64

    @Test func base64RoundTripsEveryLengthWithoutPadding() throws {
        for length in 0...20 {
            let bytes = Sodium.randomBytes(length)
            let text = AgeBase64.encode(bytes)
            #expect(!text.contains(UInt8(ascii: "=")))
            #expect(text.count == (length * 4 + 2) / 3)
            #expect(AgeBase64.decode(text) == bytes)
        }
    }

    @Test func base64RejectsPaddingNonCanonicalBitsStrayBytesAndImpossibleLengths() {
        #expect(AgeBase64.decode(Array("QQ".utf8)) == [0x41])
        #expect(AgeBase64.decode(Array("QQ==".utf8)) == nil)
        #expect(AgeBase64.decode(Array("QR".utf8)) == nil, "unused low bits set")
        #expect(AgeBase64.decode(Array("QUI\n".utf8)) == nil)
        #expect(AgeBase64.decode(Array("QUJDR".utf8)) == nil, "5 characters encode no byte string")
        #expect(AgeBase64.decode(Array("QU-D".utf8)) == nil, "URL alphabet")
    }

    @Test func paddedBase64ForArmorRequiresItsPadding() {
        #expect(AgeBase64.encodePadded([0x41]) == Array("QQ==".utf8))
        #expect(AgeBase64.decodePadded(Array("QQ==".utf8)) == [0x41])
        #expect(AgeBase64.decodePadded(Array("QUI=".utf8)) == [0x41, 0x42])
        #expect(AgeBase64.decodePadded(Array("QQ".utf8)) == nil)
        #expect(AgeBase64.decodePadded(Array("Q===".utf8)) == nil)
        #expect(AgeBase64.decodePadded(Array("QR==".utf8)) == nil)
    }

    // MARK: Bech32

    @Test func bech32AcceptsTheBIP173ValidStrings() throws {
        for text in ["A12UEL5L", "a12uel5l",
                     "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
                     "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
                     "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w"] {
            #expect(throws: Never.self, "\(text)") { try Bech32.decode(text) }
        }
    }

    @Test func bech32RejectsMixedCaseBadChecksumsAndForeignCharacters() {
        for text in ["A12uEL5L", "a12uel5m", "a1b2uel5l", "1qzzfhee", "a12uel5l ", "pzry9x0s0muk"] {
            #expect(throws: Bech32.Invalid.self, "\(text)") { try Bech32.decode(text) }
        }
    }

    @Test func bech32HasNoLengthLimit() throws {
        let data = Sodium.randomBytes(300)
        let text = Bech32.encodeString(hrp: "long", data: data)
        #expect(text.count > 90)
        let decoded = try Bech32.decode(text)
        #expect(decoded.hrp == "long")
        #expect(decoded.data.withUnsafeBytes { Array($0) } == data)
    }

    // MARK: keys

    /// The CCTV identity, and its recipient as `age-keygen -y` prints it.
    static let knownIdentity = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"
    static let knownRecipient = "age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef"

    static func identity(_ text: String) throws -> X25519Identity {
        try Array(text.utf8).withUnsafeBytes { try X25519Identity(parsing: $0) }
    }

    @Test func anIdentityGivesTheRecipientAgeKeygenComputes() throws {
        let identity = try Self.identity(Self.knownIdentity)
        #expect(identity.recipient.encoded == Self.knownRecipient)
        #expect(identity.encoded().withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == Self.knownIdentity)
        #expect(try X25519Recipient(parsing: Self.knownRecipient) == identity.recipient)
    }

    @Test func identitiesAreAcceptedInUpperCaseOnly() {
        #expect(throws: X25519Identity.Invalid.self) { try Self.identity(Self.knownIdentity.lowercased()) }
        #expect(throws: X25519Recipient.Invalid.self) { try X25519Recipient(parsing: Self.knownRecipient.uppercased()) }
        #expect(throws: X25519Recipient.Invalid.self) { try X25519Recipient(parsing: Self.knownIdentity) }
    }

    @Test func generatedIdentitiesAreFreshAndRoundTrip() throws {
        let first = X25519Identity.generate(), second = X25519Identity.generate()
        #expect(first.publicKey != second.publicKey)
        let encoded = first.encoded().withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        #expect(encoded.hasPrefix("AGE-SECRET-KEY-1") && encoded.count == 74)
        #expect(first.recipient.encoded.hasPrefix("age1") && first.recipient.encoded.count == 62)
        #expect(try Self.identity(encoded).publicKey == first.publicKey)
    }

    // MARK: HKDF

    private static func hex(_ text: String) -> [UInt8] {
        stride(from: 0, to: text.count, by: 2).map { UInt8(text.dropFirst($0).prefix(2), radix: 16)! }
    }

    @Test func hkdfMatchesRFC5869TestCases1And3() {
        let case1 = HKDF.sha256(ikm: SecretBytes([UInt8](repeating: 0x0b, count: 22)), salt: Self.hex("000102030405060708090a0b0c"),
                                info: Self.hex("f0f1f2f3f4f5f6f7f8f9"), length: 42)
        #expect(case1.withUnsafeBytes { Array($0) } == Self.hex(
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"))
        let case3 = HKDF.sha256(ikm: SecretBytes([UInt8](repeating: 0x0b, count: 22)), salt: [], info: [UInt8](), length: 42)
        #expect(case3.withUnsafeBytes { Array($0) } == Self.hex(
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"))
    }

    // MARK: scrypt limits

    @Test func scryptWorkFactorsAreDecimalWithoutSignOrLeadingZeroAndNeverWrap() {
        #expect(ScryptStanza.parseWorkFactor("18") == 18)
        for text in ["+10", "-10", "0", "010", "0xa", "aaaa10", "10a", "", " 10", "9223372036854775818"] {
            #expect(ScryptStanza.parseWorkFactor(text) == nil, "\(text)")
        }
    }

    @Test func scryptWritesWorkFactor18AndRefusesOver22BeforeRunningIt() throws {
        #expect(ScryptStanza.defaultWorkFactor == 18)
        #expect(ScryptStanza.maxWorkFactor == 22)
        let stanza = AgeStanza(type: "scrypt", arguments: [AgeBase64.encodeString(Sodium.randomBytes(16)), "23"],
                               body: Sodium.randomBytes(32))
        let started = Date()
        #expect(throws: AgeError.self) { try ScryptIdentity(passphrase: SecretBytes(Array("x".utf8))).unwrap(stanza) }
        // 2^23 would take many seconds and 8 GiB: refused without trying.
        #expect(Date().timeIntervalSince(started) < 1)
    }

    // MARK: header

    @Test func headerBodiesEndWithAShortLineEvenWhenEmptyOrFull() throws {
        for length in [0, 32, 48, 96, 100] {
            let header = AgeHeader(stanzas: [AgeStanza(type: "grease", arguments: ["a", "b!"], body: Sodium.randomBytes(length))],
                                   mac: Sodium.randomBytes(32))
            let encoded = header.encoded()
            let parsed = try AgeHeader.parse(encoded)
            #expect(parsed.header.stanzas == header.stanzas, "body of \(length) bytes")
            #expect(parsed.header.mac == header.mac)
            #expect(parsed.payloadStart == encoded.count)
        }
        let empty = AgeHeader(stanzas: [AgeStanza(type: "t", arguments: [], body: [])], mac: [UInt8](repeating: 0, count: 32))
        #expect(String(decoding: empty.encodedWithoutMAC(), as: UTF8.self) == "age-encryption.org/v1\n-> t\n\n---")
    }

    // MARK: whole files

    @Test(arguments: [0, 1, 65535, 65536, 65537, 200_000])
    func filesRoundTripAtChunkBoundaries(size: Int) throws {
        let identity = X25519Identity.generate()
        let plaintext = SecretBytes(Sodium.randomBytes(size))
        let file = try AgeFile.encrypt(plaintext, to: [identity.recipient])
        let chunks = max(1, (size + 65535) / 65536)
        let header = try AgeHeader.parse(file)
        #expect(file.count == header.payloadStart + 16 + size + 16 * chunks)
        let opened = try AgeFile.decrypt(file, identities: [identity])
        #expect(opened.constantTimeEquals(plaintext))
    }

    @Test func everyEncryptionUsesAFreshFileKeyShareAndNonce() throws {
        let identity = X25519Identity.generate()
        let plaintext = SecretBytes(Array("same".utf8))
        let first = try AgeFile.encrypt(plaintext, to: [identity.recipient])
        let second = try AgeFile.encrypt(plaintext, to: [identity.recipient])
        let firstHeader = try AgeHeader.parse(first), secondHeader = try AgeHeader.parse(second)
        #expect(firstHeader.header.stanzas[0].arguments != secondHeader.header.stanzas[0].arguments)
        #expect(firstHeader.header.stanzas[0].body != secondHeader.header.stanzas[0].body)
        #expect(first[firstHeader.payloadStart...] != second[secondHeader.payloadStart...])
    }

    @Test func aPassphraseFileOpensOnlyWithThatPassphrase() throws {
        let plaintext = SecretBytes(Array("vault".utf8))
        let file = try AgeFile.encrypt(plaintext, to: [ScryptRecipient(passphrase: SecretBytes(Array("right".utf8)), workFactor: 10)])
        #expect(try AgeFile.stanzaTypes(of: file) == ["scrypt"])
        #expect(try AgeFile.decrypt(file, identities: [ScryptIdentity(passphrase: SecretBytes(Array("right".utf8)))])
            .constantTimeEquals(plaintext))
        #expect(throws: AgeError.noMatch) {
            try AgeFile.decrypt(file, identities: [ScryptIdentity(passphrase: SecretBytes(Array("wrong".utf8)))])
        }
    }

    @Test func aFileForAnotherKeyIsNoMatchAndAnAlteredHeaderIsAnHMACFailure() throws {
        let identity = X25519Identity.generate()
        var file = try AgeFile.encrypt(SecretBytes(Array("x".utf8)), to: [identity.recipient])
        #expect(throws: AgeError.noMatch) { try AgeFile.decrypt(file, identities: [X25519Identity.generate()]) }
        // Add a grease stanza: the header still parses and the key still unwraps.
        let parsed = try AgeHeader.parse(file)
        var header = parsed.header
        header.stanzas.append(AgeStanza(type: "grease", arguments: [], body: []))
        file = header.encoded() + file[parsed.payloadStart...]
        #expect(throws: AgeError.hmac) { try AgeFile.decrypt(file, identities: [identity]) }
    }

    @Test func aTruncatedFileIsAPayloadFailure() throws {
        let identity = X25519Identity.generate()
        let file = try AgeFile.encrypt(SecretBytes(Sodium.randomBytes(70_000)), to: [identity.recipient])
        let parsed = try AgeHeader.parse(file)
        // Cut right after the first full chunk: every byte kept is authentic, but the end is gone.
        let cut = Array(file[0..<(parsed.payloadStart + 16 + 65536 + 16)])
        #expect(throws: AgeError.self) { try AgeFile.decrypt(cut, identities: [identity]) }
        do {
            _ = try AgeFile.decrypt(cut, identities: [identity])
        } catch let error as AgeError {
            #expect(error.category == "payload failure")
        }
    }

    // MARK: identity files

    @Test func identityFilesLookLikeAgeKeygensAndIgnoreComments() throws {
        let identity = X25519Identity.generate()
        let contents = IdentityFile.contents(of: identity, createdAt: 1_767_225_600)
        let text = contents.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty)
        #expect(lines[0] == "# created: 2026-01-01T00:00:00Z")
        #expect(lines[1] == "# public key: \(identity.recipient.encoded)")
        #expect(lines[2].hasPrefix("AGE-SECRET-KEY-1"))
        let parsed = try IdentityFile.parse(SecretBytes(Array(("\r\n# note\n\n" + text.replacingOccurrences(of: "\n", with: "\r\n")).utf8)))
        #expect(parsed.map(\.publicKey) == [identity.publicKey])
    }

    @Test func identityFilesWithOtherKeyTypesAreRefusedByLineNumberNotContent() {
        let secretLooking = "AGE-PLUGIN-YUBIKEY-1QQQQQQSOMETHING"
        do {
            _ = try IdentityFile.parse(SecretBytes(Array("# c\n\(secretLooking)\n".utf8)))
            Issue.record("a plugin identity was accepted")
        } catch let error as IdentityFile.Invalid {
            #expect(error.reason.contains("line 2"))
            #expect(!error.reason.contains(secretLooking))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: IdentityFile.Invalid.self) { try IdentityFile.parse(SecretBytes(Array("# only comments\n".utf8))) }
    }
}
