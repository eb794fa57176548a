/// Enforces the first-token, idle and deadline timeouts of one attempt by cancelling it. A
/// non-streamed call has no first-token or idle limit (its first token is the whole answer, and
/// nothing arrives before it): the request's deadline alone bounds it.
enum Watchdog {
    struct Limits: Sendable {
        /// `nil`: no first-token limit (non-streamed calls).
        var firstToken: Duration?
        /// `nil`: no idle limit (non-streamed calls).
        var idle: Duration?
        var deadline: ContinuousClock.Instant
    }

    /// Runs `operation`, cancelling it and throwing the matching `ModelError` when `activity`
    /// shows no first token within `limits.firstToken`, then silence longer than `limits.idle`,
    /// or when the deadline passes.
    static func run(
        activity: StreamActivity, limits: Limits, model: String,
        operation: @escaping @Sendable () async throws -> Void
    ) async throws {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await operation() }
                group.addTask { try await watch(activity, limits) }
                defer { group.cancelAll() }
                // The first child to finish decides: the operation completing, or a timeout.
                _ = try await group.next()
            }
        } catch {
            // The operation may notice the expiry (and stop) before the watchdog's own error
            // arrives: report the timeout either way.
            if let expiry = activity.expiry { throw self.error(for: expiry, limits: limits, model: model) }
            throw error
        }
    }

    private struct Expired: Error {}

    private static func watch(_ activity: StreamActivity, _ limits: Limits) async throws {
        while true {
            switch activity.check(now: .now, firstTokenLimit: limits.firstToken, idleLimit: limits.idle, deadline: limits.deadline) {
            case .expired:
                throw Expired()
            case .wait(let instant):
                try await Task.sleep(until: instant, clock: .continuous)
            }
        }
    }

    static func error(for expiry: StreamActivity.Expiry, limits: Limits, model: String) -> ModelError {
        switch expiry {
        case .firstToken:
            return ModelError(.firstTokenTimeout, "no token within \(milliseconds(limits.firstToken ?? .zero)) ms; raise gateway.first_token_timeout_ms (or the model's first_token_timeout_ms) if the model is slow to start", model: model)
        case .idle:
            return ModelError(.idleTimeout, "the stream sent nothing for \(milliseconds(limits.idle ?? .zero)) ms; raise gateway.idle_timeout_ms (or the model's idle_timeout_ms) if the model pauses that long", model: model)
        case .deadline:
            return ModelError(.deadlineExceeded, "the request's deadline passed; raise gateway.deadline_ms or the request's deadline", model: model)
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
