import Glibc

/// A failure of the file system, with the path and the system's reason.
public struct FileSystemError: UserFacingError {
    public let message: String
    public var exitCode: ExitCode { .failure }

    public init(_ action: String, _ path: String, errno code: Int32 = errno) {
        message = "cannot \(action) \(path): \(String(cString: strerror(code)))"
    }

    public init(message: String) {
        self.message = message
    }
}

/// Small file operations with the guarantees SPEC.md asks for: private modes, atomic replacement.
public enum FileSystem {
    /// The whole file, or nil when it does not exist. Refuses files over `limit` bytes.
    public static func read(_ path: String, limit: Int = 16 << 20) throws -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw FileSystemError("read", path)
        }
        defer { close(descriptor) }
        return try readAll(descriptor, path: path, limit: limit)
    }

    /// Reads to EOF. Identity and key files pass through here, so the buffer is sized from the
    /// file up front (no reallocation leaves a stale copy) and the read chunk is wiped.
    static func readAll(_ descriptor: Int32, path: String, limit: Int) throws -> [UInt8] {
        var info = stat()
        var bytes: [UInt8] = []
        if fstat(descriptor, &info) == 0 { bytes.reserveCapacity(min(Int(info.st_size), limit) + 1) }
        var chunk = [UInt8](repeating: 0, count: 65536)
        defer { Sodium.wipe(&chunk) }
        while true {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("read", path)
            }
            if got == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<got])
            if bytes.count > limit { throw FileSystemError(message: "\(path) is larger than \(limit) bytes") }
        }
    }

    /// The permission bits of `path`, or nil when it does not exist.
    public static func mode(of path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Creates `path` and missing parents; the last component ends up 0700 and owned by us.
    /// An existing directory that others may enter is tightened, as ssh expects of ~/.ssh.
    public static func makePrivateDirectory(_ path: String) throws {
        var partial = ""
        for component in path.split(separator: "/") {
            partial += "/" + component
            if mkdir(partial, 0o700) != 0 && errno != EEXIST {
                throw FileSystemError("create directory", partial)
            }
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw FileSystemError(message: "\(path) exists and is not a directory")
        }
        guard info.st_uid == getuid() else {
            throw FileSystemError(message: "\(path) belongs to another user; remove it or point the helper elsewhere")
        }
        if info.st_mode & 0o077 != 0, chmod(path, 0o700) != 0 {
            throw FileSystemError("make private (chmod 700)", path)
        }
    }

    /// Replaces `path` with `bytes` so that a crash at any moment leaves the old file or the new
    /// one, never a mix: a temporary file in the same directory, fsync, rename, fsync the directory.
    public static func writeAtomically(_ path: String, bytes: [UInt8], mode: mode_t = 0o600) throws {
        let directory = parentDirectory(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let suffix = Sodium.randomBytes(6).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let temporary = "\(directory)/.\(name).tmp-\(suffix)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw FileSystemError("create", temporary) }
        var keep = false
        defer {
            if !keep { unlink(temporary) }
        }
        do {
            defer { close(descriptor) }
            try writeAll(descriptor, bytes, path: temporary)
            guard fchmod(descriptor, mode) == 0 else { throw FileSystemError("chmod", temporary) }
            guard fsync(descriptor) == 0 else { throw FileSystemError("sync", temporary) }
        }
        guard rename(temporary, path) == 0 else { throw FileSystemError("replace", path) }
        keep = true
        syncDirectory(directory)
    }

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("write", path)
            }
            offset += written
        }
    }

    /// Makes a rename durable; failure only weakens durability, so it is not an error.
    static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    public static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The names in `directory` (without "." and ".."), or none when it cannot be read.
    public static func entries(of directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes `path`; no error when it is already gone.
    public static func remove(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw FileSystemError("remove", path) }
    }
}
