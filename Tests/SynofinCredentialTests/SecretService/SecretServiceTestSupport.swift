import Foundation
@testable import SynofinCredential

/// A store context that sees only `variables` (plus a private HOME), never prompts, logs nothing.
func secretServiceContext(_ variables: [String: String], mayPrompt: Bool = false) -> StoreContext {
    let environment = Environment(variables)
    return StoreContext(environment: environment, paths: Paths(environment: environment), mayPrompt: mayPrompt,
                        log: Log(verbose: false))
}

func testProfile(_ name: String, url: String = "https://api-preprod.synofin.tech", clientName: String = "sindhuja-mfi")
    throws -> Profile
{
    Profile(name: name, url: try ServiceURL(parsing: url), clientName: clientName, store: .secretService)
}

func testCredentials(key: String, secret: String) -> APICredentials {
    APICredentials(apiKey: SecretBytes(Array(key.utf8)), apiSecret: SecretBytes(Array(secret.utf8)))
}

extension SecretBytes {
    /// Test-only: the bytes as text, to compare with what was written.
    var testText: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }
}

/// Seconds `body` took, and what it threw.
func timed(_ body: () throws -> Void) -> (seconds: Double, error: Error?) {
    let start = ContinuousClock.now
    var caught: Error?
    do { try body() } catch { caught = error }
    let elapsed = ContinuousClock.now - start
    return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, caught)
}
