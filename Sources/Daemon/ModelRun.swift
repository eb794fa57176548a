import Foundation
import Models

/// What a model request produces while it runs.
enum ModelRunEvent: Sendable {
    /// The first text of the answer is about to follow, from this model.
    case started(model: String, provider: ProviderKind)
    /// More text.
    case delta(String)
}

/// A completed model request.
struct ModelRun: Sendable {
    var requestID: String
    var text: String
    var model: String
    var provider: ProviderKind
    var usage: Usage
    var finishReason: FinishReason
    /// From the start of the request to its first text.
    var firstTokenMs: Double?
    /// From the start of the request to its end.
    var totalMs: Double
    /// One record per call made, in order.
    var attempts: [ModelCallRecord]

    /// The experiment and arm the request was in, if any.
    var assignment: (experiment: String, arm: String)? {
        guard let last = attempts.last, let experiment = last.experiment, let arm = last.arm else { return nil }
        return (experiment, arm)
    }
}

/// A model request that failed: the gateway's error and the record of every call it made.
struct ModelRunFailure: Error, Sendable {
    var error: ModelError
    var attempts: [ModelCallRecord]
    /// Whether text had already reached the caller when it failed.
    var afterFirstToken: Bool
}
