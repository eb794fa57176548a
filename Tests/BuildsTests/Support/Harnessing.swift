import AidConfig
import AidTestSupport
import Foundation

/// Runs `body` with a fresh harness and always stops it afterwards.
func withHarness(command: String, testCommand: String? = nil, debounce: Duration = .milliseconds(100), onChange: BuildConfiguration.OnChange = .cancel,
                 timeout: Duration = .seconds(120), killGrace: Duration = .seconds(2),
                 prepare: (TemporaryWorkspace) throws -> Void = { _ in },
                 _ body: (MonitorHarness) async throws -> Void) async throws {
    let harness = try MonitorHarness(command: command, testCommand: testCommand, debounce: debounce, onChange: onChange, timeout: timeout,
                                     killGrace: killGrace, prepare: prepare)
    do {
        try await body(harness)
    } catch {
        await harness.stop()
        throw error
    }
    await harness.stop()
}

/// Waits, off Swift's cooperative threads, until `condition` holds.
func eventually(_ what: String, timeout: Duration = .seconds(60), _ condition: @escaping @Sendable () -> Bool) async throws {
    try await offload { try waitUntil(what, timeout: timeout, condition) }
}

/// The lines of a record file a build command appends to.
func lines(_ text: String?) -> [String] {
    (text ?? "").split(separator: "\n").map(String.init)
}
