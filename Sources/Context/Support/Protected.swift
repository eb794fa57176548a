import Foundation

/// A value guarded by a lock.
///
/// `@unchecked Sendable` is sound because `value` is only reached through
/// ``withLock(_:)``, which holds the lock for the whole access, and `Value`
/// is itself `Sendable`, so nothing non-Sendable escapes.
final class Protected<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
