import Foundation
import Testing
@testable import SynofinCredential

/// The real `age` and `age-keygen` (Debian's age 1.1.1; contrib/setup.sh installs it) against
/// ours, both ways. `age` reads passphrases from /dev/tty only, never from stdin or a variable,
/// so the passphrase cases run it under a pseudo-terminal (Python's pty module) that answers
/// its prompts.
@Suite struct AgeCLIInteropTests {
    static let sizes = [0, 1, 65535, 65536, 65537, 200_000]

    /// Runs `age`/`age-keygen` from PATH; fails the test with the fix when it is not installed.
    static func age(_ arguments: [String], passphrase: String? = nil) throws -> RunResult {
        var environment = ProcessInfo.processInfo.environment
        if let passphrase {
            environment["AGE_TEST_PASSPHRASE"] = passphrase
            return try run("/usr/bin/env", ["python3", "-c", answeringPrompts] + arguments, environment: environment)
        }
        return try run("/usr/bin/env", arguments, environment: environment)
    }

    /// Runs argv[1:] on a new pseudo-terminal and types $AGE_TEST_PASSPHRASE at every
    /// "...passphrase...:" prompt (age asks once to decrypt, twice to encrypt). It waits a
    /// moment before typing, as a person would: a program that turns echo off after printing
    /// its prompt (TCSAFLUSH) discards anything typed before that.
    static let answeringPrompts = """
        import os, pty, sys, time
        passphrase = os.environ["AGE_TEST_PASSPHRASE"].encode()
        pid, fd = pty.fork()
        if pid == 0:
            os.execvp(sys.argv[1], sys.argv[1:])
        seen, answered = b"", 0
        while True:
            try:
                data = os.read(fd, 1024)
            except OSError:
                break
            if not data:
                break
            seen += data
            if seen.lower().count(b"passphrase") > answered and seen.rstrip().endswith(b":"):
                time.sleep(0.3)
                os.write(fd, passphrase + b"\\n")
                answered += 1
        _, status = os.waitpid(pid, 0)
        sys.stderr.write(seen.decode(errors="replace"))
        sys.exit(os.waitstatus_to_exitcode(status))
        """

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test(arguments: sizes)
    func ourFileOpensWithTheRealAgeCLIAndOurIdentityFile(size: Int) throws {
        let directory = try TemporaryDirectory()
        let identity = X25519Identity.generate()
        let identityText = IdentityFile.contents(of: identity, createdAt: Int64(Date().timeIntervalSince1970))
        try Self.write(identityText.withUnsafeBytes { Array($0) }, to: directory.file("identity.txt"))
        let plaintext = Sodium.randomBytes(size)
        try Self.write(try AgeFile.encrypt(SecretBytes(plaintext), to: [identity.recipient]), to: directory.file("file.age"))
        // Through the shell, because `age -o` creates no file for an empty plaintext.
        let result = try Self.age(["sh", "-c", "age -d -i \"$1\" \"$2\" > \"$3\"", "sh",
                                   directory.file("identity.txt"), directory.file("file.age"), directory.file("out")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.read(directory.file("out")) == plaintext)
    }

    @Test(arguments: sizes)
    func aFileFromTheRealAgeCLIAndAgeKeygenOpensWithOurs(size: Int) throws {
        let directory = try TemporaryDirectory()
        let keygen = try Self.age(["age-keygen", "-o", directory.file("key.txt")])
        try #require(keygen.status == 0, "\(keygen.stderr)")
        let identities = try IdentityFile.parse(SecretBytes(try Self.read(directory.file("key.txt"))))
        let recipient = identities[0].recipient.encoded
        // age-keygen's "# public key:" comment names the recipient we compute.
        #expect(String(decoding: try Self.read(directory.file("key.txt")), as: UTF8.self).contains("# public key: \(recipient)"))
        let plaintext = Sodium.randomBytes(size)
        try Self.write(plaintext, to: directory.file("plain"))
        let encrypt = try Self.age(["age", "-e", "-r", recipient, "-o", directory.file("file.age"), directory.file("plain")])
        try #require(encrypt.status == 0, "\(encrypt.stderr)")
        let opened = try AgeFile.decrypt(try Self.read(directory.file("file.age")), identities: identities)
        #expect(opened.withUnsafeBytes { Array($0) } == plaintext)
    }

    @Test func anArmoredFileFromTheRealAgeCLIOpensWithOurs() throws {
        let directory = try TemporaryDirectory()
        let identity = X25519Identity.generate()
        let plaintext = Sodium.randomBytes(1000)
        try Self.write(plaintext, to: directory.file("plain"))
        let encrypt = try Self.age(["age", "-a", "-e", "-r", identity.recipient.encoded, "-o", directory.file("file.age"), directory.file("plain")])
        try #require(encrypt.status == 0, "\(encrypt.stderr)")
        let file = try Self.read(directory.file("file.age"))
        #expect(String(decoding: file.prefix(34), as: UTF8.self) == "-----BEGIN AGE ENCRYPTED FILE-----")
        #expect(try AgeFile.decrypt(file, identities: [identity]).withUnsafeBytes { Array($0) } == plaintext)
    }

    @Test func ourPassphraseFileOpensWithTheRealAgeCLIThroughAPseudoTerminal() throws {
        let directory = try TemporaryDirectory()
        let plaintext = Sodium.randomBytes(65537)
        // The work factor we write (18), so this is the file the vault really holds.
        let file = try AgeFile.encrypt(SecretBytes(plaintext), to: [ScryptRecipient(passphrase: SecretBytes(Array("correct horse".utf8)))])
        try Self.write(file, to: directory.file("file.age"))
        let result = try Self.age(["age", "-d", "-o", directory.file("out"), directory.file("file.age")], passphrase: "correct horse")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.read(directory.file("out")) == plaintext)
        let wrong = try Self.age(["age", "-d", "-o", directory.file("out2"), directory.file("file.age")], passphrase: "wrong horse")
        #expect(wrong.status != 0)
    }

    @Test func aPassphraseFileFromTheRealAgeCLIOpensWithOurs() throws {
        let directory = try TemporaryDirectory()
        let plaintext = Sodium.randomBytes(200_000)
        try Self.write(plaintext, to: directory.file("plain"))
        let encrypt = try Self.age(["age", "-p", "-o", directory.file("file.age"), directory.file("plain")], passphrase: "battery staple")
        try #require(encrypt.status == 0, "\(encrypt.stderr)")
        let file = try Self.read(directory.file("file.age"))
        #expect(try AgeFile.stanzaTypes(of: file) == ["scrypt"])
        let opened = try AgeFile.decrypt(file, identities: [ScryptIdentity(passphrase: SecretBytes(Array("battery staple".utf8)))])
        #expect(opened.withUnsafeBytes { Array($0) } == plaintext)
    }

    @Test func ourIdentityFileGivesTheSameRecipientWithAgeKeygen() throws {
        let directory = try TemporaryDirectory()
        let identity = X25519Identity.generate()
        try Self.write(IdentityFile.contents(of: identity, createdAt: 0).withUnsafeBytes { Array($0) }, to: directory.file("identity.txt"))
        let result = try Self.age(["age-keygen", "-y", directory.file("identity.txt")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == identity.recipient.encoded + "\n")
    }
}
