import Foundation
import Testing
@testable import SynofinCredential

/// One C2SP CCTV age test vector (Tests/Fixtures/age-cctv, format in its README.md): a textual
/// header of `key: value` lines, an empty line, then the age file, maybe zlib-compressed.
struct CCTVVector: CustomTestStringConvertible, Sendable {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/age-cctv")

    let name: String
    let expect: String
    let payloadHash: String?
    let identities: [String]
    let passphrases: [String]
    let armored: Bool
    let file: [UInt8]

    var testDescription: String { name }

    /// The ML-KEM-768 + X25519 hybrid type needs primitives libsodium 1.0.18 lacks.
    var needsHybrid: Bool { identities.contains { $0.hasPrefix("AGE-SECRET-KEY-PQ-") } }

    static let all: [CCTVVector] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0 != "README.md" && $0 != "PROVENANCE" }.sorted().map { try! CCTVVector(named: $0) }
    }()

    static var supported: [CCTVVector] { all.filter { !$0.needsHybrid } }

    init(named name: String) throws {
        self.name = name
        let bytes = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent(name)))
        var fields: [(String, String)] = []
        var cursor = 0
        while true {
            guard let newline = bytes[cursor...].firstIndex(of: 0x0A) else { throw CocoaError(.fileReadCorruptFile) }
            let line = String(decoding: bytes[cursor..<newline], as: UTF8.self)
            cursor = newline + 1
            if line.isEmpty { break }
            guard let colon = line.range(of: ": ") else { throw CocoaError(.fileReadCorruptFile) }
            fields.append((String(line[..<colon.lowerBound]), String(line[colon.upperBound...])))
        }
        func values(_ key: String) -> [String] { fields.filter { $0.0 == key }.map(\.1) }
        expect = values("expect").first ?? ""
        payloadHash = values("payload").first
        identities = values("identity")
        passphrases = values("passphrase")
        armored = values("armored").first == "yes"
        let body = Array(bytes[cursor...])
        file = values("compressed").first == "zlib" ? try Zlib.inflate(body) : body
    }

    /// What decrypting the file through the real decrypt path gives: "success" or the failure
    /// category, and the SHA-256 of every plaintext byte released before the end or the error.
    func run() throws -> (outcome: String, payloadHash: String) {
        var ageIdentities: [AgeIdentity] = try identities.map { text in
            try Array(text.utf8).withUnsafeBytes { try X25519Identity(parsing: $0) }
        }
        ageIdentities += passphrases.map { ScryptIdentity(passphrase: SecretBytes(Array($0.utf8))) }
        var released: [UInt8] = []
        let outcome: String
        do {
            try AgeFile.decrypt(file, identities: ageIdentities) { released += $0 }
            outcome = "success"
        } catch let error as AgeError {
            outcome = error.category
        }
        return (outcome, Sodium.sha256Hex(released))
    }
}

/// zlib's `uncompress`, loaded at run time: the vectors' large files are stored compressed, and
/// Foundation on Linux has no zlib API of its own.
enum Zlib {
    private typealias Uncompress = @convention(c) (UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<UInt>, UnsafePointer<UInt8>, UInt) -> Int32
    private static let bufferError: Int32 = -5

    static func inflate(_ input: [UInt8]) throws -> [UInt8] {
        guard let library = dlopen("libz.so.1", RTLD_NOW), let symbol = dlsym(library, "uncompress") else {
            throw CocoaError(.featureUnsupported)
        }
        let uncompress = unsafeBitCast(symbol, to: Uncompress.self)
        var capacity = max(input.count * 16, 1 << 16)
        while capacity <= 1 << 28 {
            var output = [UInt8](repeating: 0, count: capacity)
            var length = UInt(capacity)
            let status = output.withUnsafeMutableBufferPointer { uncompress($0.baseAddress!, &length, input, UInt(input.count)) }
            if status == 0 { return Array(output[0..<Int(length)]) }
            guard status == bufferError else { throw CocoaError(.fileReadCorruptFile) }
            capacity *= 4
        }
        throw CocoaError(.fileReadTooLarge)
    }
}
