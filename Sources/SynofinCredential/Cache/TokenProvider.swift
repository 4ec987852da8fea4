/// Gets a usable token for a profile: from the cache when it is fresh, else by one exchange per
/// profile at a time across every process (a lock, then the cache read again, because another
/// process may have refreshed it while we waited). A cached token never touches the store.
public struct TokenProvider {
    let context: StoreContext
    let cache: TokenCache
    var exchange: TokenExchange
    let stores: StoreSelection
    /// Unix time; tests move it.
    var now: () -> Int64 = Clock.unixSeconds

    public init(context: StoreContext) {
        self.context = context
        cache = TokenCache(paths: context.paths)
        exchange = TokenExchange(environment: context.environment, log: context.log)
        stores = StoreSelection(context: context)
    }

    public func token(for profile: Profile) throws -> CachedToken {
        // The env profile's key costs nothing to read, so its tokens are checked against it every
        // time; what was read here also serves the exchange below.
        let environmentCredentials = try profile.store == .environment
            ? EnvironmentStore(environment: context.environment).read(profile: profile) : nil
        let environmentKeyID = environmentCredentials.map { TokenCache.keyID(of: $0.apiKey) }
        func usable(_ token: CachedToken?) -> CachedToken? {
            guard let token, environmentKeyID == nil || token.keyID == environmentKeyID else { return nil }
            return token
        }
        if let cached = usable(cache.read(for: profile)), cached.state(now: now()) == .fresh {
            context.log.debug("cached token for '\(profile.name)' is fresh until \(cached.expiresAt - TokenLifetime.refreshMargin)")
            return cached
        }
        let lock = try cache.lock(for: profile, timeout: Double(profile.timeoutSeconds) + 15)
        defer { lock.unlock() }
        let cached = usable(cache.read(for: profile))
        if let cached, cached.state(now: now()) == .fresh {
            context.log.debug("another process refreshed the token for '\(profile.name)' while we waited")
            return cached
        }
        var currentKeyID: String?
        do {
            let credentials = try environmentCredentials ?? stores.read(profile)
            let keyID = environmentKeyID ?? TokenCache.keyID(of: credentials.apiKey)
            currentKeyID = keyID
            let issued = try exchange.exchange(profile: profile, credentials: credentials)
            let obtainedAt = now()
            let token = CachedToken(
                profile: profile.name, url: profile.url.baseString, clientName: profile.clientName, keyID: keyID,
                accessToken: issued.accessToken, expiresAt: obtainedAt + Int64(issued.expiresIn), obtainedAt: obtainedAt)
            do {
                try cache.write(token, for: profile)
            } catch {
                // A token we could not cache still works now; the next call exchanges again.
                context.log.notice("could not cache the token: \((error as? UserFacingError)?.message ?? "\(error)")")
            }
            return token
        } catch {
            // Inside the refresh margin the old token still has over a minute: better than nothing.
            // Never when the stored key has changed since.
            guard let cached, cached.state(now: now()) == .refreshDue, currentKeyID == nil || currentKeyID == cached.keyID
            else { throw error }
            let message = (error as? UserFacingError)?.message ?? "\(error)"
            context.log.notice("refreshing the token failed (\(message)); using the cached one, valid for \(cached.expiresAt - now()) s more")
            return cached
        }
    }
}
