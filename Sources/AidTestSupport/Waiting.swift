import Foundation

/// A condition that did not come true in time.
public struct TimedOut: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// Checks `condition` until it holds or `timeout` passes, backing off from 1 ms to 20 ms.
/// For states that have no event to wait on (a process that exits, a file that appears).
public func waitUntil(_ what: String, timeout: Duration = .seconds(10), _ condition: () throws -> Bool) throws {
    let deadline = ContinuousClock.now + timeout
    var delay = 0.001
    while ContinuousClock.now < deadline {
        if try condition() { return }
        Thread.sleep(forTimeInterval: delay)
        delay = min(delay * 2, 0.02)
    }
    if try condition() { return }
    throw TimedOut(description: "timed out after \(timeout) waiting for \(what)")
}
