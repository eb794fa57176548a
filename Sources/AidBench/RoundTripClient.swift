import Foundation
import JSONRPC
#if canImport(Glibc)
import Glibc
#endif

/// The leanest possible client: one blocking socket, write a frame, read a frame, as the
/// socket floor does, so the figures show the daemon's cost and not a client library's.
final class RoundTripClient: @unchecked Sendable {
    // @unchecked: each client is handed to exactly one thread, which alone uses it.
    let fd: CInt
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private let request: [UInt8]

    init(socket: String, method: String) throws {
        fd = try UnixSocket.connect(path: socket)
        request = OutgoingMessage.frame(Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)"}"#.utf8))
    }

    deinit { close(fd) }

    /// One request and its whole answer; returns false when the connection is gone.
    func roundTrip() -> Bool {
        let sent = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard sent == request.count else { return false }
        var have = 0
        while true {
            // Wait for the answer as an editor's event loop does (poll, readable only), not in a
            // blocking read, which the kernel also wakes when the daemon takes the request off the
            // socket: one wasted wake-up per round trip that no real client pays.
            var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&waiting, 1, -1) == 1 else { return false }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + have, $0.count - have) }
            guard n > 0 else { return false }
            have += n
            let parsed = buffer.withUnsafeBytes { FrameHeader.parse(UnsafeRawBufferPointer(rebasing: $0[0..<have]), maximumFrameBytes: 1 << 20) }
            if case .header(let headerLength, let contentLength) = parsed, have >= headerLength + contentLength { return true }
        }
    }
}

/// Latency figures of a run.
struct LatencySummary {
    var count: Int
    var seconds: Double
    var p50: Double
    var p90: Double
    var p99: Double

    init(samples: [Double], wallSeconds: Double) {
        let sorted = samples.sorted()
        func at(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
        count = samples.count
        seconds = wallSeconds
        p50 = at(0.50)
        p90 = at(0.90)
        p99 = at(0.99)
    }

    var requestsPerSecond: Double { Double(count) / seconds }

    func line(_ label: String) -> String {
        String(format: "%@ %8d round trips  %9.0f req/s  p50 %6.1f us  p90 %6.1f us  p99 %6.1f us",
               label.padding(toLength: 22, withPad: " ", startingAt: 0), count, requestsPerSecond, p50 * 1e6, p90 * 1e6, p99 * 1e6)
    }
}

func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
