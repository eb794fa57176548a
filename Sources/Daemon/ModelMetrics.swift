import CoreMetrics
import Models
import Prometheus

/// Counters and histograms of model calls, model requests and local endpoint requests since the
/// daemon started, kept with swift-metrics and served by the endpoint's `GET /metrics` in
/// Prometheus' text format (swift-prometheus). The registry is the daemon's own, not the
/// process-wide metrics system, so that libraries cannot add to or bootstrap it.
final class ModelMetrics: ModelCallObserver {
    /// Upper bounds of the latency histograms' buckets.
    static let buckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120),
    ]

    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.buckets
        self.factory = factory
    }

    func modelCallFinished(_ record: ModelCallRecord) {
        let series = [("model", record.model), ("task", record.task)]
        count("aid_model_calls_total", series + [("outcome", record.outcome.rawValue)])
        if record.outcome == .failure {
            count("aid_model_errors_total", series + [("error_class", record.errorClass ?? "unknown")])
        }
        if let firstToken = record.timeToFirstToken {
            CoreMetrics.Timer(label: "aid_model_time_to_first_token_seconds", dimensions: series, factory: factory)
                .recordNanoseconds(Int64(firstToken * 1e9))
        }
        CoreMetrics.Timer(label: "aid_model_call_duration_seconds", dimensions: series, factory: factory)
            .recordNanoseconds(Int64(record.totalTime * 1e9))
        count("aid_model_tokens_total", series + [("kind", "input")], by: record.inputTokens)
        count("aid_model_tokens_total", series + [("kind", "output")], by: record.outputTokens)
        count("aid_model_tokens_total", series + [("kind", "cached_input")], by: record.cachedInputTokens)
        if record.costEstimate > 0 {
            FloatingPointCounter(label: "aid_model_cost_usd_total", dimensions: series, factory: factory).increment(by: record.costEstimate)
        }
    }

    /// Counts a finished model request (all its attempts) that came `via` `rpc` or `http`.
    func requestFinished(via: String, task: String, outcome: String) {
        count("aid_model_requests_total", [("via", via), ("task", task), ("outcome", outcome)])
    }

    /// Counts an answered request to the local endpoint.
    func endpointRequest(path: String, status: Int) {
        count("aid_endpoint_requests_total", [("path", path), ("code", String(status))])
    }

    /// Everything in the Prometheus text exposition format (version 0.0.4).
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }

    private func count(_ name: String, _ dimensions: [(String, String)], by amount: Int = 1) {
        guard amount > 0 else { return }
        Counter(label: name, dimensions: dimensions, factory: factory).increment(by: amount)
    }
}
