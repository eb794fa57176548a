import Foundation
import Logging
import NIOConcurrencyHelpers

/// What one attempt is about.
struct AttemptContext: Sendable {
    var request: ChatRequest
    var options: CallOptions
    var plan: RoutePlan
    var model: ModelDefinition
    var attempt: Int
    var fallbackIndex: Int
    var deadline: ContinuousClock.Instant
}

/// How one attempt ended.
struct AttemptResult: Sendable {
    enum Outcome: Sendable {
        case success
        case failure(ModelError)
        case cancelled
    }
    var outcome: Outcome
    /// Whether the caller has seen text (or the end) from this attempt.
    var sawFirstToken: Bool
}

/// The events of one attempt, shared between its stream and the gateway.
private final class AttemptEvents: Sendable {
    private struct State {
        var events: [ModelEvent] = []
        var usage: Usage?
    }
    private let state = NIOLockedValueBox(State())

    func append(_ event: ModelEvent) -> Bool {
        state.withLockedValue { state in
            state.events.append(event)
            if case .usage(let usage) = event { state.usage = usage }
            return state.events.count == 1
        }
    }

    var events: [ModelEvent] { state.withLockedValue { $0.events } }
    var usage: Usage? { state.withLockedValue { $0.usage } }
    var isEmpty: Bool { state.withLockedValue { $0.events.isEmpty } }
}

extension ModelGateway {
    /// Makes one call to `context.model`, forwarding its events, and reports its record.
    func attempt(_ context: AttemptContext, logger: Logger, emit: @escaping @Sendable (GatewayEvent) -> Void) async -> AttemptResult {
        let model = context.model
        let startedAt = Date()
        let clockStart = ContinuousClock.now
        // Created once the call may start, so that waiting for a concurrency place does not
        // count against the first-token timeout.
        var progress: StreamActivity?
        let collected = AttemptEvents()
        var outcome: AttemptResult.Outcome
        do {
            guard let provider = providers[model.provider] else {
                throw ModelError(.configuration, "no provider for \(model.provider.rawValue)", model: model.id)
            }
            let key = try model.apiKey.resolve(model: model.id, environment: environment.environmentVariable)
            let limiter = limiters[model.id]!
            try await Self.acquire(limiter, before: context.deadline, model: model.id)
            defer { limiter.release() }
            let activity = StreamActivity()
            progress = activity
            let call = ProviderCall(request: context.request, model: model, apiKey: key, activity: activity, maxResponseBytes: configuration.gateway.maxResponseBytes)
            // A non-streamed call is bounded by the request's deadline only: its first token
            // is the whole answer, and it sends nothing before it.
            let streamed = context.request.stream
            let limits = Watchdog.Limits(
                firstToken: streamed ? model.firstTokenTimeout ?? configuration.gateway.firstTokenTimeout : nil,
                idle: streamed ? model.idleTimeout ?? configuration.gateway.idleTimeout : nil,
                deadline: context.deadline)
            let attempt = context.attempt
            try await Watchdog.run(activity: activity, limits: limits, model: model.id) {
                try await provider.stream(call) { event in
                    // Once a timeout has fired, nothing more of this attempt reaches the caller.
                    guard !activity.isExpired else { throw CancellationError() }
                    if collected.append(event) {
                        emit(.started(model: model.id, provider: model.provider, attempt: attempt))
                    }
                    switch event {
                    case .delta(let text): emit(.delta(text))
                    case .usage(let usage): emit(.usage(usage))
                    case .done: break  // forwarded once the attempt is recorded
                    }
                }
            }
            guard case .done = collected.events.last else {
                throw ModelError(.brokenStream, "the provider ended the answer without finishing it", model: model.id)
            }
            outcome = .success
        } catch let error as ModelError {
            outcome = Task.isCancelled ? .cancelled : .failure(error.attributed(to: model.id))
        } catch {
            outcome = Task.isCancelled || error is CancellationError
                ? .cancelled
                : .failure(ModelError(.malformedResponse, "\(error)", model: model.id))
        }
        if case .cancelled = outcome, !Task.isCancelled {
            // Cancelled from inside without the caller asking: treat as a broken stream.
            outcome = .failure(ModelError(.brokenStream, "the call was interrupted", model: model.id))
        }

        let usage = collected.usage ?? Usage()
        let firstToken = progress.flatMap { activity in activity.firstToken.map { $0 - activity.started } }
        var record = ModelCallRecord(
            requestID: context.options.requestID, startedAt: startedAt, task: context.request.task,
            route: context.plan.route, model: model.id, provider: model.provider,
            experiment: context.plan.assignment?.experiment, arm: context.plan.assignment?.arm.name,
            userHash: context.plan.assignment?.userHash, attempt: context.attempt, fallbackIndex: context.fallbackIndex,
            outcome: .success, timeToFirstToken: firstToken.map(Self.seconds),
            totalTime: Self.seconds(ContinuousClock.now - clockStart), usage: usage,
            costEstimate: model.pricing.cost(of: usage))
        var metadata: Logger.Metadata = [
            "model": "\(model.id)", "attempt": "\(context.attempt)", "task": "\(context.request.task)",
        ]
        switch outcome {
        case .success:
            logger.debug("model call succeeded", metadata: metadata)
            if let recorder {
                do {
                    try recorder.save(context.request, events: collected.events)
                } catch {
                    logger.warning("could not record the answer for replay", metadata: ["path": "\(recorder.directory.path)", "error": "\(error)"])
                }
            }
        case .cancelled:
            record.outcome = .cancelled
            record.errorClass = ModelError.Kind.cancelled.rawValue
            logger.debug("model call cancelled", metadata: metadata)
        case .failure(let error):
            record.outcome = .failure
            record.errorClass = error.kind.rawValue
            record.httpStatus = error.httpStatus
            metadata["error"] = "\(error.description)"
            logger.warning("model call failed", metadata: metadata)
        }
        for observer in observers { observer.modelCallFinished(record) }
        // `.done` reaches the caller after the record, so that a caller who saw the end of the
        // answer also finds its record.
        if case .success = outcome, case .done(let reason) = collected.events.last { emit(.done(reason)) }
        return AttemptResult(outcome: outcome, sawFirstToken: !collected.isEmpty)
    }

    /// Waits for a place under `limiter`, failing when `deadline` passes first.
    static func acquire(_ limiter: ConcurrencyLimiter, before deadline: ContinuousClock.Instant, model: String) async throws {
        // A free place is taken at once, without the tasks and timer of waiting.
        if limiter.tryAcquire() { return }
        let acquired = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await limiter.acquire()) != nil }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return false
            }
            var acquired = await group.next() ?? false
            group.cancelAll()
            // The other child may have acquired just before it was cancelled: keep that place.
            if let late = await group.next(), late { acquired = true }
            return acquired
        }
        guard acquired else {
            try Task.checkCancellation()
            throw ModelError(.deadlineExceeded, "the request's deadline passed while waiting for one of the model's \(limiter.limit) concurrent places; raise the model's concurrency", model: model)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
