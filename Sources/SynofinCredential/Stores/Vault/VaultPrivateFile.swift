import Glibc

/// Reading the files that guard the vault (the vault itself, identity and passphrase files) the
/// way ssh reads private keys: a file of ours that other users can access is refused, whatever
/// it holds, because its secrets may already be theirs and only we can fix the mode. As in ssh,
/// a file owned by someone else (a secret root provisioned for us, e.g. a Kubernetes volume
/// shared through a group) is not ours to fix and is accepted. The mode is checked on the open
/// descriptor, so the file cannot be swapped between the check and the read.
enum VaultPrivateFile {
    /// The bytes of `path`, or nil when it does not exist. `what` names it in errors
    /// ("the encrypted vault", "the identity file").
    static func read(_ path: String, what: String, limit: Int) throws -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw FileSystemError("read", path)
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw FileSystemError("inspect", path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw FileSystemError(message: "\(path) is not a regular file") }
        try check(info, of: path, what: what)
        return try FileSystem.readAll(descriptor, path: path, limit: limit)
    }

    /// The same check on a path without reading it: for `unavailableReason`, which must be cheap.
    static func checkMode(of path: String, what: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        try check(info, of: path, what: what)
    }

    private static func check(_ info: stat, of path: String, what: String) throws {
        guard info.st_uid != getuid() || info.st_mode & 0o077 == 0 else {
            throw VaultError.unsafeMode(what: what, path: path, mode: UInt32(info.st_mode & 0o7777))
        }
    }
}
