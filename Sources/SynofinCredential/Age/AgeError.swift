/// Why an age file could not be decrypted, in the categories of the C2SP test vectors (CCTV).
/// Keeping them apart matters: a parsing error must never be masked as a wrong key, and a wrong
/// key must never be reported as a damaged file. The associated text is for `-v` and for people;
/// it never holds key material.
enum AgeError: Error, Equatable {
    /// The header (or the 16-byte payload nonce after it) is malformed, or a recipient stanza
    /// the identity understands is invalid.
    case header(String)
    /// The header parsed, but no identity could unwrap any stanza: a wrong key or passphrase.
    case noMatch
    /// A file key was unwrapped, but the header MAC does not match: the header was changed.
    case hmac
    /// The header is good, but the STREAM payload does not decrypt all the way to its end.
    case payload(String)
    /// The ASCII armor around the file is malformed.
    case armor(String)

    /// The CCTV `expect:` value of this failure.
    var category: String {
        switch self {
        case .header: return "header failure"
        case .noMatch: return "no match"
        case .hmac: return "HMAC failure"
        case .payload: return "payload failure"
        case .armor: return "armor failure"
        }
    }

    var detail: String {
        switch self {
        case .header(let reason): return "malformed age header: \(reason)"
        case .noMatch: return "no identity matched any of the recipients"
        case .hmac: return "the age header MAC does not match (the header was altered)"
        case .payload(let reason): return "damaged age payload: \(reason)"
        case .armor(let reason): return "malformed ASCII armor: \(reason)"
        }
    }
}
