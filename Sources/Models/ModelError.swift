/// A failure of a model call, classified so that the gateway can decide between retrying,
/// falling back to the next model and giving up, and so that records can count failures by class.
public struct ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of a failure. Its raw value is the `error_class` stored in records.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// The connection could not be made or was refused.
        case connection
        /// The connection was not established within the connect timeout.
        case connectTimeout = "connect_timeout"
        /// No token arrived within the first-token timeout.
        case firstTokenTimeout = "first_token_timeout"
        /// The stream went quiet for longer than the idle timeout.
        case idleTimeout = "idle_timeout"
        /// The request's overall deadline passed.
        case deadlineExceeded = "deadline"
        /// The provider answered 429 (too many requests) and retries were used up.
        case rateLimited = "rate_limited"
        /// The provider answered 5xx.
        case serverError = "server_error"
        /// The provider rejected the request itself (4xx other than 401, 403, 404, 429).
        case badRequest = "bad_request"
        /// The provider refused the key (401, 403).
        case unauthorized = "auth"
        /// The provider does not know the endpoint or model (404).
        case notFound = "not_found"
        /// The stream ended or broke before the answer was complete.
        case brokenStream = "broken_stream"
        /// The provider sent something that is not its documented format.
        case malformedResponse = "malformed_response"
        /// The provider answered with a content type other than an event stream.
        case wrongContentType = "wrong_content_type"
        /// The answer exceeded the largest response accepted.
        case responseTooLarge = "response_too_large"
        /// The provider reported an error inside the stream.
        case upstreamError = "upstream_error"
        /// The caller cancelled the request.
        case cancelled
        /// The provider's circuit breaker is open after repeated failures.
        case circuitOpen = "circuit_open"
        /// The model's API key could not be read.
        case missingKey = "missing_key"
        /// A replay model has no recording for the request.
        case replayMissing = "replay_missing"
        /// The configuration does not allow the request (no route for the task, unknown model).
        case configuration
    }

    /// The class of failure.
    public var kind: Kind
    /// What happened and, where possible, what to fix. Never contains an API key.
    public var message: String
    /// The model id the failure belongs to, when one does.
    public var model: String?
    /// The HTTP status the provider answered, for HTTP failures.
    public var httpStatus: Int?
    /// How long the provider asked to wait before retrying (`Retry-After`).
    public var retryAfter: Duration?
    /// When every model of a route failed: the failure of each model tried, in order (this
    /// error is then the last of them, its message naming them all). Empty otherwise.
    public var failures: [ModelError] = []

    public init(_ kind: Kind, _ message: String, model: String? = nil, httpStatus: Int? = nil, retryAfter: Duration? = nil) {
        self.kind = kind
        self.message = message
        self.model = model
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
    }

    public var description: String {
        var text = "[\(kind.rawValue)]"
        if let model { text += " model '\(model)':" }
        if let httpStatus { text += " HTTP \(httpStatus):" }
        return text + " " + message
    }

    /// Whether the same model may be tried again after a back-off: 429, 503 and 529 (overloaded).
    public var isRetryableOnSameModel: Bool {
        kind == .rateLimited || (kind == .serverError && (httpStatus == 503 || httpStatus == 529))
    }

    /// Whether the gateway may move on to the next model of the route.
    public var allowsFallback: Bool {
        switch self.kind {
        case .badRequest, .deadlineExceeded, .cancelled, .configuration:
            return false
        default:
            return true
        }
    }

    /// Whether the failure says something about the provider's health, and so counts towards
    /// opening its circuit breaker.
    public var countsAgainstProvider: Bool {
        switch kind {
        case .connection, .connectTimeout, .firstTokenTimeout, .idleTimeout, .rateLimited, .serverError,
             .brokenStream, .malformedResponse, .wrongContentType, .upstreamError:
            return true
        default:
            return false
        }
    }

    /// Returns this error attributed to `model`.
    func attributed(to model: String) -> ModelError {
        var copy = self
        if copy.model == nil { copy.model = model }
        return copy
    }
}
