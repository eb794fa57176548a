import NIOConcurrencyHelpers

/// A circuit breaker for one provider endpoint. Closed, it lets calls through and counts
/// consecutive failures; after `failureThreshold` of them it opens and refuses calls for
/// `cooldown`; then it lets a single probe through (half-open): the probe's success closes it,
/// its failure opens it for another cool-down.
public final class CircuitBreaker: Sendable {
    /// What the breaker does with the next call.
    public enum State: Sendable, Hashable {
        case closed
        case open
        case halfOpen
    }

    /// Permission to make one call, to be settled with `succeeded`, `failed` or `released`.
    public enum Permit: Sendable, Hashable {
        case normal
        case probe
    }

    private struct Storage {
        var consecutiveFailures = 0
        var openUntil: ContinuousClock.Instant?
        var probeInFlight = false
    }

    public let failureThreshold: Int
    public let cooldown: Duration
    private let storage = NIOLockedValueBox(Storage())

    public init(failureThreshold: Int, cooldown: Duration) {
        self.failureThreshold = max(1, failureThreshold)
        self.cooldown = cooldown
    }

    /// The breaker's state at `now`.
    public func state(at now: ContinuousClock.Instant) -> State {
        storage.withLockedValue { storage in
            guard let until = storage.openUntil else { return .closed }
            return now < until ? .open : .halfOpen
        }
    }

    /// Asks to make a call at `now`: `nil` while open, or while a half-open probe is under way.
    public func acquire(at now: ContinuousClock.Instant) -> Permit? {
        storage.withLockedValue { storage in
            guard let until = storage.openUntil else { return .normal }
            if now < until || storage.probeInFlight { return nil }
            storage.probeInFlight = true
            return .probe
        }
    }

    /// The call succeeded (or failed in a way that says nothing of the provider's health).
    public func succeeded(_ permit: Permit) {
        storage.withLockedValue { storage in
            storage.consecutiveFailures = 0
            storage.openUntil = nil
            storage.probeInFlight = false
        }
    }

    /// The call failed in a way that counts against the provider.
    public func failed(_ permit: Permit, at now: ContinuousClock.Instant) {
        storage.withLockedValue { storage in
            storage.consecutiveFailures += 1
            switch permit {
            case .probe:
                storage.probeInFlight = false
                storage.openUntil = now + cooldown
            case .normal:
                if storage.openUntil == nil, storage.consecutiveFailures >= failureThreshold {
                    storage.openUntil = now + cooldown
                }
            }
        }
    }

    /// The call ended without a verdict (cancelled): a probe may be tried again.
    public func released(_ permit: Permit) {
        guard permit == .probe else { return }
        storage.withLockedValue { $0.probeInFlight = false }
    }
}
