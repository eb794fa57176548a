import Foundation
import JSONRPC
#if canImport(Glibc)
import Glibc
#endif

/// The leanest possible client: one socket, write a frame, wait for and read the answer, so the
/// figures show the daemon's cost and not a client library's.
final class RoundTripClient: @unchecked Sendable {
    // @unchecked: each client is handed to exactly one thread, which alone uses it.
    let fd: CInt
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private let request: [UInt8]
    private let method: String

    init(socket: String, method: String) throws {
        fd = try UnixSocket.connect(path: socket)
        self.method = method
        request = OutgoingMessage.frame(Array(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)"}"#.utf8))
    }

    deinit { close(fd) }

    /// Waits until the answer can be read, as editors' event loops do: with poll(2), readable
    /// only. A blocking read would also be woken when the daemon takes the request off the
    /// socket: one wasted wake-up per round trip that no real client pays.
    private func waitReadable() -> Bool {
        var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let n = poll(&waiting, 1, -1)
            if n == 1 { return true }
            if n < 0, errno == EINTR { continue }
            return false
        }
    }

    /// One request and its whole answer; returns false when the connection is gone.
    func roundTrip() -> Bool {
        let sent = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard sent == request.count else { return false }
        var have = 0
        while true {
            guard waitReadable() else { return false }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + have, $0.count - have) }
            guard n > 0 else { return false }
            have += n
            let parsed = buffer.withUnsafeBytes { FrameHeader.parse(UnsafeRawBufferPointer(rebasing: $0[0..<have]), maximumFrameBytes: 1 << 20) }
            if case .header(let headerLength, let contentLength) = parsed, have >= headerLength + contentLength { return true }
        }
    }
}

extension RoundTripClient {
    /// Sends `count` requests keeping `depth` of them in flight (each with its own id), as an
    /// editor does when several requests are outstanding; returns how many were answered.
    func pipelined(count: Int, depth: Int) -> Int {
        var sent = 0
        var answered = 0
        var have = 0
        func send(_ n: Int) -> Bool {
            var frames: [UInt8] = []
            for _ in 0..<n {
                sent += 1
                frames += OutgoingMessage.frame(Array(#"{"jsonrpc":"2.0","id":\#(sent),"method":"\#(method)"}"#.utf8))
            }
            return frames.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == frames.count
        }
        guard send(min(depth, count)) else { return 0 }
        while answered < count {
            guard waitReadable() else { return answered }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + have, $0.count - have) }
            guard n > 0 else { return answered }
            have += n
            // Every whole answer read makes room for one more request.
            var consumed = 0
            var done = 0
            while true {
                let parsed = buffer.withUnsafeBytes {
                    FrameHeader.parse(UnsafeRawBufferPointer(rebasing: $0[consumed..<have]), maximumFrameBytes: 1 << 20)
                }
                guard case .header(let headerLength, let contentLength) = parsed, have - consumed >= headerLength + contentLength else { break }
                consumed += headerLength + contentLength
                done += 1
            }
            if consumed > 0 {
                buffer.withUnsafeMutableBytes { bytes in
                    if have > consumed { memmove(bytes.baseAddress!, bytes.baseAddress! + consumed, have - consumed) }
                }
                have -= consumed
            }
            answered += done
            if done > 0, sent < count, !send(min(done, count - sent)) { return answered }
        }
        return answered
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
