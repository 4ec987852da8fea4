import CCurl
import Glibc

/// One HTTPS POST through libcurl, with the settings SPEC.md fixes: certificates always verified,
/// no redirects, plain HTTP only to loopback (and then never through a proxy), a body cap.
struct HTTPRequest {
    var url: String
    var headers: [String]
    /// Basic-auth key and secret (libcurl builds the header); nil sends no Authorization.
    var credentials: APICredentials?
    var caFile: String?
    var caDirectory: String?
    var connectTimeout: Double
    var totalTimeout: Double
    var isLoopbackHTTP: Bool
    var maximumBodyBytes: Int
}

struct HTTPResponse {
    let status: Int
    /// The body: it may echo the key and secret (`user_data`), so it is a wiped buffer.
    let body: SecretBytes
    let bodyLength: Int
    /// Seconds from a `Retry-After` header, if any.
    let retryAfter: Int?
}

enum TransportError: Error {
    case libraryMissing(String)
    case curl(code: Int, message: String)
    case bodyTooLarge(limit: Int)
}

/// Collects the body into a fixed buffer and refuses to go past its limit.
private final class BodySink {
    let buffer: SecretBytes
    let limit: Int
    var length = 0
    var overflowed = false

    init(limit: Int) {
        self.limit = limit
        buffer = SecretBytes(count: limit)
    }
}

private let collectBody: ccurl_write_callback = { data, size, count, context in
    let sink = Unmanaged<BodySink>.fromOpaque(context!).takeUnretainedValue()
    let bytes = size * count
    guard sink.length + bytes <= sink.limit else {
        sink.overflowed = true
        return 0  // makes libcurl stop with CURLE_WRITE_ERROR
    }
    sink.buffer.withUnsafeMutableBytes { buffer in
        if bytes > 0 { (buffer.baseAddress! + sink.length).copyMemory(from: data!, byteCount: bytes) }
    }
    sink.length += bytes
    return bytes
}

enum HTTPClient {
    /// libcurl's version string, or why it cannot be loaded.
    static func libraryVersion() -> Result<String, TransportError> {
        var error = [CChar](repeating: 0, count: 512)
        guard ccurl_load(&error, error.count) == 0 else {
            return .failure(.libraryMissing(String(cString: error)))
        }
        return .success(String(cString: ccurl_version()))
    }

    static func post(_ request: HTTPRequest) throws -> HTTPResponse {
        if case .failure(let error) = libraryVersion() { throw error }
        guard let handle = ccurl_easy_init() else { throw TransportError.curl(code: -1, message: "libcurl could not start") }
        defer { ccurl_easy_cleanup(handle) }
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        for header in request.headers { headerList = ccurl_slist_append(headerList, header) }
        defer { ccurl_slist_free_all(headerList) }
        let sink = BodySink(limit: request.maximumBodyBytes)
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }

        ccurl_setopt_string(handle, CURLOPT_URL, request.url)
        ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, request.isLoopbackHTTP ? "http,https" : "https")
        ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = request.caFile { ccurl_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        if let caDirectory = request.caDirectory { ccurl_setopt_string(handle, CURLOPT_CAPATH, caDirectory) }
        // A token sent in clear text must not leave the machine through a proxy.
        if request.isLoopbackHTTP { ccurl_setopt_string(handle, CURLOPT_NOPROXY, "*") }
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1000))
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, Int(request.totalTimeout * 1000)))
        // POST with an empty body: Content-Length: 0, as the LMS documentation names no body.
        // COPYPOSTFIELDS, because POSTFIELDS would keep a pointer that dies with this call.
        ccurl_setopt_long(handle, CURLOPT_POST, 1)
        ccurl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, 0)
        ccurl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
        ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        if let credentials = request.credentials {
            ccurl_setopt_long(handle, CURLOPT_HTTPAUTH, 1)  // CURLAUTH_BASIC (a macro Swift cannot import)
            nulTerminated(credentials.apiKey) { ccurl_setopt_pointer(handle, CURLOPT_USERNAME, $0) }
            nulTerminated(credentials.apiSecret) { ccurl_setopt_pointer(handle, CURLOPT_PASSWORD, $0) }
        }
        ccurl_setopt_write_function(handle, collectBody, context.toOpaque())

        let code = ccurl_easy_perform(handle)
        if sink.overflowed { throw TransportError.bodyTooLarge(limit: request.maximumBodyBytes) }
        guard code == CURLE_OK else {
            throw TransportError.curl(code: Int(code.rawValue), message: String(cString: ccurl_easy_strerror(code)))
        }
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var retryAfter: curl_off_t = 0
        ccurl_getinfo_off_t(handle, CURLINFO_RETRY_AFTER, &retryAfter)
        return HTTPResponse(status: status, body: sink.buffer, bodyLength: sink.length,
                            retryAfter: retryAfter > 0 ? Int(retryAfter) : nil)
    }

    /// Hands libcurl a NUL-terminated copy in a wiped buffer; libcurl keeps its own copy.
    private static func nulTerminated(_ secret: SecretBytes, _ body: (UnsafeMutableRawPointer) -> Void) {
        let terminated = SecretBytes.joined([secret, SecretBytes(count: 1)])
        terminated.withUnsafeMutableBytes { body($0.baseAddress!) }
    }
}
