import Foundation

/// A value guarded by a lock.
///
/// `@unchecked Sendable` is safe because the only access to `value` is
/// through `withLock`, which holds `lock` for the whole access, so no two
/// threads ever touch `value` at the same time; `Value` itself is required
/// to be `Sendable`, so nothing non-Sendable escapes.
final class Locked<Value: Sendable>: @unchecked Sendable {
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
