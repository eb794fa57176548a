/// When to try the same model again after a 429 or 503: exponential back-off with jitter,
/// never sooner than the provider's `Retry-After`.
public struct RetryPolicy: Sendable, Hashable {
    public var maxRetries: Int
    public var base: Duration
    public var maximum: Duration
    /// A `Retry-After` longer than this is not waited for (the next model is tried instead).
    public var maxRetryAfter: Duration

    public init(maxRetries: Int, base: Duration, maximum: Duration, maxRetryAfter: Duration) {
        self.maxRetries = maxRetries
        self.base = base
        self.maximum = maximum
        self.maxRetryAfter = maxRetryAfter
    }

    public init(_ settings: GatewaySettings) {
        self.init(maxRetries: settings.maxRetries, base: settings.backoffBase, maximum: settings.backoffMax, maxRetryAfter: settings.maxRetryAfter)
    }

    /// The wait before retry number `retry` (0 for the first retry), given the provider's
    /// `Retry-After` and a random number in [0, 1): `nil` when no retry should be made.
    public func delay(beforeRetry retry: Int, retryAfter: Duration?, random: Double) -> Duration? {
        guard retry < maxRetries else { return nil }
        if let retryAfter, retryAfter > maxRetryAfter { return nil }
        let exponential = min(maximum, base * (1 << min(retry, 30)))
        // "Equal jitter": half fixed, half random, so concurrent clients spread out.
        let jittered = exponential * (0.5 + 0.5 * min(max(random, 0), 1))
        guard let retryAfter else { return jittered }
        return max(retryAfter, jittered)
    }
}
