import Glibc

/// Making identity files for `vault keygen`, in the format `age-keygen` writes, so `age -d -i`
/// reads them too.
enum VaultKeygen {
    /// Creates a new identity at `path`, mode 0600, and never replaces an existing file, even one
    /// created a moment ago by another process: the file is written under a temporary name and
    /// then hard-linked into place, which fails if the name is taken. A missing directory is
    /// created 0700; `ownDirectory` (ours, under ~/.config) is made 0700 even if it exists.
    static func create(at path: String, ownDirectory: Bool) throws -> X25519Identity {
        let directory = FileSystem.parentDirectory(of: path)
        if ownDirectory || !FileSystem.exists(directory) { try FileSystem.makePrivateDirectory(directory) }
        guard !FileSystem.exists(path) else { throw alreadyExists(path) }
        let identity = X25519Identity.generate()
        let contents = IdentityFile.contents(of: identity, createdAt: Clock.unixSeconds())
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let suffix = Sodium.randomBytes(6).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let temporary = "\(directory)/.\(name).new-\(suffix)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileSystemError("create", temporary) }
        defer { unlink(temporary) }
        do {
            defer { close(descriptor) }
            var bytes = contents.withUnsafeBytes { Array($0) }
            defer { Sodium.wipe(&bytes) }
            try FileSystem.writeAll(descriptor, bytes, path: temporary)
            guard fchmod(descriptor, 0o600) == 0, fsync(descriptor) == 0 else { throw FileSystemError("write", temporary) }
        }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { throw alreadyExists(path) }
            throw FileSystemError("create", path)
        }
        FileSystem.syncDirectory(directory)
        return identity
    }

    private static func alreadyExists(_ path: String) -> GeneralError {
        GeneralError("\(path) already exists, and vault keygen never overwrites an identity (the vault may need it); choose another file with --identity PATH")
    }
}
