import Glibc

/// An exclusive `flock` on a lock file, held until `unlock` or deinit. Waiting is bounded: a
/// holder that never lets go turns into an error instead of a hang.
public final class FileLock {
    private var descriptor: Int32

    public struct Timeout: UserFacingError {
        public let path: String
        public let seconds: Double
        public var exitCode: ExitCode { .failure }
        public var message: String {
            "another synofin-credential process held \(path) for more than \(Int(seconds)) s; try again, or look for a stuck process"
        }
    }

    /// Takes the lock on `path` (created 0600 if missing), waiting at most `timeout` seconds.
    public init(path: String, timeout: Double) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileSystemError("open lock file", path) }
        let deadline = Clock.monotonicSeconds() + timeout
        var pause: useconds_t = 2_000
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let code = errno
                close(descriptor)
                throw FileSystemError("lock", path, errno: code)
            }
            guard Clock.monotonicSeconds() < deadline else {
                close(descriptor)
                throw Timeout(path: path, seconds: timeout)
            }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }

    public func unlock() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { unlock() }
}

/// Wall and monotonic time in seconds.
public enum Clock {
    public static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Unix time in whole seconds.
    public static func unixSeconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }
}
