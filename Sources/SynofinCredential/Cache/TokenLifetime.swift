/// SPEC's token windows: served as is until 5 minutes before expiry; inside those 5 minutes a
/// refresh is tried and, if it fails, the old token is still served; never with under 60 s left.
public enum TokenLifetime {
    /// Seconds before expiry from which a refresh is tried.
    public static let refreshMargin: Int64 = 300
    /// Seconds before expiry from which a token is never served.
    public static let hardMargin = 60

    public enum State: Equatable {
        /// More than `refreshMargin` left: serve it.
        case fresh
        /// Inside the refresh margin: refresh, but serve it if the refresh fails.
        case refreshDue
        /// Under `hardMargin` left: unusable.
        case expired
    }

    public static func state(expiresAt: Int64, now: Int64) -> State {
        let left = expiresAt - now
        if left > refreshMargin { return .fresh }
        if left > Int64(hardMargin) { return .refreshDue }
        return .expired
    }

    /// What git gets as `password_expiry_utc`: the moment we stop serving the token.
    public static func servedUntil(expiresAt: Int64) -> Int64 {
        expiresAt - Int64(hardMargin)
    }
}
