import Glibc

/// Unix seconds as RFC 3339 in UTC (`2026-12-04T13:45:00Z`), without Foundation's formatters.
public enum Timestamp {
    public static func rfc3339(_ unixSeconds: Int64) -> String {
        var seconds = time_t(unixSeconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// "52 min", "3 h 10 min", "40 s": how long until `unixSeconds`, for people.
    public static func remaining(until unixSeconds: Int64, now: Int64 = Clock.unixSeconds()) -> String {
        let left = unixSeconds - now
        if left < 60 { return "\(max(left, 0)) s" }
        if left < 3600 { return "\(left / 60) min" }
        return "\(left / 3600) h \(left % 3600 / 60) min"
    }
}
