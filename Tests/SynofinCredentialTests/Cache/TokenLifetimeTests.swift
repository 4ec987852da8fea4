import Foundation
import Testing
@testable import SynofinCredential

@Suite struct TokenLifetimeTests {
    @Test func aTokenWithMoreThanFiveMinutesLeftIsFresh() {
        #expect(TokenLifetime.state(expiresAt: 1000 + 301, now: 1000) == .fresh)
    }

    @Test func insideFiveMinutesARefreshIsDue() {
        #expect(TokenLifetime.state(expiresAt: 1000 + 300, now: 1000) == .refreshDue)
        #expect(TokenLifetime.state(expiresAt: 1000 + 61, now: 1000) == .refreshDue)
    }

    @Test func underSixtySecondsATokenIsNeverServed() {
        #expect(TokenLifetime.state(expiresAt: 1000 + 60, now: 1000) == .expired)
        #expect(TokenLifetime.state(expiresAt: 900, now: 1000) == .expired)
    }

    @Test func passwordExpiryIsTheExpiryMinusSixtySeconds() {
        #expect(TokenLifetime.servedUntil(expiresAt: 5000) == 4940)
    }
}

@Suite struct TokenCacheTests {
    let directory: TemporaryDirectory
    let cache: TokenCache
    let profile: Profile

    init() throws {
        directory = try TemporaryDirectory()
        let environment = Environment(["XDG_RUNTIME_DIR": directory.path, "HOME": directory.path])
        cache = TokenCache(paths: Paths(environment: environment))
        profile = Profile(name: "p", url: try ServiceURL(parsing: "https://h.example"), clientName: "c", store: .file)
    }

    func token(for profile: Profile, keyID: String = "k1") -> CachedToken {
        CachedToken(profile: profile.name, url: profile.url.baseString, clientName: profile.clientName, keyID: keyID,
                    accessToken: "tok", expiresAt: 2000, obtainedAt: 1000)
    }

    @Test func theCacheLivesUnderTheRuntimeDirectory() {
        #expect(cache.directory == directory.path + "/synofin-credential")
    }

    @Test func theCacheFallsBackToTheCacheHome() {
        let paths = Paths(environment: Environment(["XDG_CACHE_HOME": "/c", "HOME": "/h"]))
        #expect(TokenCache(paths: paths).directory == "/c/synofin-credential")
    }

    @Test func aWrittenTokenReadsBackWithPrivateModes() throws {
        try cache.write(token(for: profile), for: profile)
        #expect(cache.read(for: profile) == token(for: profile))
        #expect(FileSystem.mode(of: cache.directory) == 0o700)
        #expect(FileSystem.mode(of: cache.path(for: profile)) == 0o600)
    }

    @Test func aTokenIsNotServedToAProfileWithAnotherURLOrClient() throws {
        try cache.write(token(for: profile), for: profile)
        var moved = profile
        moved.url = try ServiceURL(parsing: "https://elsewhere.example")
        #expect(cache.read(for: moved) == nil)
        var renamedClient = profile
        renamedClient.clientName = "other"
        #expect(cache.read(for: renamedClient) == nil)
    }

    @Test func aTokenFileOthersCanReadIsIgnored() throws {
        try cache.write(token(for: profile), for: profile)
        chmod(cache.path(for: profile), 0o644)
        #expect(cache.read(for: profile) == nil)
    }

    @Test func aCorruptTokenFileReadsAsNone() throws {
        try cache.write(token(for: profile), for: profile)
        try "{not json".write(toFile: cache.path(for: profile), atomically: false, encoding: .utf8)
        #expect(cache.read(for: profile) == nil)
    }

    @Test func theKeyIDDependsOnTheKeyOnly() {
        let a = TokenCache.keyID(of: SecretBytes(Array("key-a".utf8)))
        #expect(a == TokenCache.keyID(of: SecretBytes(Array("key-a".utf8))))
        #expect(a != TokenCache.keyID(of: SecretBytes(Array("key-b".utf8))))
        #expect(a.count == 16)
        #expect(!a.contains("key"))
    }

    @Test func removeAllDropsEveryToken() throws {
        try cache.write(token(for: profile), for: profile)
        try cache.removeAll()
        #expect(cache.read(for: profile) == nil)
    }
}
