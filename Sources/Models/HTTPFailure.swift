import Foundation

/// Turns a provider's non-success HTTP answer into a `ModelError` that says what to fix.
enum HTTPFailure {
    /// The error for `status`, with the provider's own message (keys redacted) when its body has one.
    static func error(status: Int, retryAfterHeader: String?, body: [UInt8], model: ModelDefinition, key: APIKey?, now: Date = Date()) -> ModelError {
        var detail = providerMessage(body)
        if let key { detail = key.redact(detail) }
        let suffix = detail.isEmpty ? "" : " The provider said: \(detail)"
        let retryAfter = retryAfterHeader.flatMap { RetryAfter.parse($0, now: now) }
        let kind: ModelError.Kind
        let advice: String
        switch status {
        case 429:
            kind = .rateLimited
            advice = "the provider is rate limiting this key; lower the model's concurrency or add a fallback model to the route."
        case 401, 403:
            kind = .unauthorized
            advice = "the provider refused the key; check \(keyLocation(model.apiKey))."
        case 404:
            kind = .notFound
            advice = "the provider does not know this endpoint or model; check base_url (\(model.baseURL ?? "")) and model (\(model.upstreamModel))."
        case 408, 500...599:
            kind = .serverError
            advice = "the provider failed to answer."
        case 400...499:
            kind = .badRequest
            advice = "the provider rejected the request."
        default:
            kind = .malformedResponse
            advice = "the provider answered with an unexpected HTTP status; check base_url (\(model.baseURL ?? ""))."
        }
        return ModelError(kind, advice + suffix, model: model.id, httpStatus: status, retryAfter: retryAfter)
    }

    /// The `error.message` of a JSON error body (OpenAI and Anthropic both use it), else the start
    /// of the body as text.
    static func providerMessage(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "" }
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String {
                return String(message.prefix(500))
            }
            if let message = object["message"] as? String { return String(message.prefix(500)) }
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func keyLocation(_ source: APIKeySource) -> String {
        switch source {
        case .none: return "whether the server needs a key (set api_key_env or api_key_file)"
        case .environment(let name): return "the key in the environment variable \(name)"
        case .file(let path): return "the key in \(path)"
        }
    }
}

/// The `Retry-After` HTTP header.
public enum RetryAfter {
    /// The delay `value` asks for: a number of seconds (fractions accepted), or an HTTP date
    /// (delay from `now`, never negative). `nil` when it is neither.
    public static func parse(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite, seconds >= 0 {
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        let interval = max(0, date.timeIntervalSince(now))
        return .milliseconds(Int64((interval * 1000).rounded()))
    }
}
