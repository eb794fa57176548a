import Models
import Synchronization

/// Counters and histograms of model calls, model requests and local endpoint requests since the
/// daemon started, served by the endpoint's `GET /metrics` in Prometheus' text format. Updating
/// is a lock and a few dictionary writes, on the request path.
final class ModelMetrics: ModelCallObserver {
    /// Upper bounds in seconds of the latency histograms' buckets.
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]

    private struct Histogram {
        var counts = [Int](repeating: 0, count: ModelMetrics.buckets.count)
        var sum = 0.0
        var count = 0

        mutating func observe(_ seconds: Double) {
            if let index = ModelMetrics.buckets.firstIndex(where: { seconds <= $0 }) { counts[index] += 1 }
            sum += seconds
            count += 1
        }
    }

    private struct State {
        var calls: [[String]: Int] = [:]          // model, task, outcome
        var errors: [[String]: Int] = [:]         // model, task, error class
        var firstToken: [[String]: Histogram] = [:]  // model, task
        var duration: [[String]: Histogram] = [:]    // model, task
        var tokens: [[String]: Int] = [:]         // model, task, kind
        var cost: [[String]: Double] = [:]        // model, task
        var requests: [[String]: Int] = [:]       // via, task, outcome
        var http: [[String]: Int] = [:]           // path, code
    }
    private let state = Mutex(State())

    func modelCallFinished(_ record: ModelCallRecord) {
        let series = [record.model, record.task]
        state.withLock { state in
            state.calls[series + [record.outcome.rawValue], default: 0] += 1
            if record.outcome == .failure {
                state.errors[series + [record.errorClass ?? "unknown"], default: 0] += 1
            }
            if let firstToken = record.timeToFirstToken { state.firstToken[series, default: Histogram()].observe(firstToken) }
            state.duration[series, default: Histogram()].observe(record.totalTime)
            state.tokens[series + ["input"], default: 0] += record.inputTokens
            state.tokens[series + ["output"], default: 0] += record.outputTokens
            state.tokens[series + ["cached_input"], default: 0] += record.cachedInputTokens
            state.cost[series, default: 0] += record.costEstimate
        }
    }

    /// Counts a finished model request (all its attempts) that came `via` `rpc` or `http`.
    func requestFinished(via: String, task: String, outcome: String) {
        state.withLock { $0.requests[[via, task, outcome], default: 0] += 1 }
    }

    /// Counts an answered request to the local endpoint.
    func endpointRequest(path: String, status: Int) {
        state.withLock { $0.http[[path, String(status)], default: 0] += 1 }
    }

    /// Everything in the Prometheus text exposition format (version 0.0.4).
    func exposition() -> String {
        let state = self.state.withLock { $0 }
        var out = PrometheusText()
        out.counter("aid_model_requests_total", "Model requests by how they came (rpc, http), task and outcome.",
                    labels: ["via", "task", "outcome"], state.requests.mapValues(Double.init))
        out.counter("aid_model_calls_total", "Model call attempts (retries and fallbacks included) by model, task and outcome.",
                    labels: ["model", "task", "outcome"], state.calls.mapValues(Double.init))
        out.counter("aid_model_errors_total", "Failed model call attempts by model, task and error class.",
                    labels: ["model", "task", "error_class"], state.errors.mapValues(Double.init))
        out.counter("aid_model_tokens_total", "Tokens of model calls by model, task and kind (input, output, cached_input).",
                    labels: ["model", "task", "kind"], state.tokens.mapValues(Double.init))
        out.counter("aid_model_cost_usd_total", "Estimated cost of model calls in US dollars, from the configured prices.",
                    labels: ["model", "task"], state.cost)
        for (name, help, values) in [
            ("aid_model_time_to_first_token_seconds", "Time from the start of a model call to its first token.", state.firstToken),
            ("aid_model_call_duration_seconds", "Time from the start of a model call to its end.", state.duration),
        ] {
            out.histogram(name, help, labels: ["model", "task"], buckets: Self.buckets,
                          values.mapValues { (counts: $0.counts, sum: $0.sum, count: $0.count) })
        }
        out.counter("aid_endpoint_requests_total", "Requests to the local HTTP endpoint by path and status code.",
                    labels: ["path", "code"], state.http.mapValues(Double.init))
        return out.text
    }
}
