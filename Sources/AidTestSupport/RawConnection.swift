import AidProtocol
import Foundation
import JSONRPC
#if canImport(Glibc)
import Glibc
#endif

/// A bare socket to a server for tests that must control every byte: send raw frames, read
/// whatever comes back, with timeouts.
public final class RawConnection: @unchecked Sendable {
    // @unchecked: a connection is used by one test at a time, one call after another.
    public let fd: CInt
    private var buffer: [UInt8] = []

    public init(path: String) throws { fd = try UnixSocket.connect(path: path) }

    deinit { close(fd) }

    /// Sends bytes as they are.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw UnixSocketError("send to", path: "socket", errno: errno)
            }
            offset += n
        }
    }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Sends `body` with a correct header.
    public func sendFrame(_ body: String) throws { try send(OutgoingMessage.frame(Array(body.utf8))) }
    public func sendFrame(_ body: [UInt8]) throws { try send(OutgoingMessage.frame(body)) }

    /// The next frame's body as JSON, or nil at end of stream; throws on timeout.
    public func readFrame(timeout: Duration = .seconds(10)) throws -> JSONValue? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let frame = try takeFrame() { return frame }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw TimedOut(description: "no frame within \(timeout)") }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ms = Int32(max(1, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            let ready = poll(&poller, 1, ms)
            if ready == 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    /// `readFrame` without holding a thread of Swift's cooperative pool (which an in-process
    /// server needs to answer).
    public func next(timeout: Duration = .seconds(10)) async throws -> JSONValue? {
        try await offload { try self.readFrame(timeout: timeout) }
    }

    /// Reads until end of stream (returns true) or `timeout` (false), discarding data.
    public func waitForClose(timeout: Duration = .seconds(10)) -> Bool {
        while true {
            do {
                if try readFrame(timeout: timeout) == nil { return true }
            } catch {
                return false
            }
        }
    }

    private func takeFrame() throws -> JSONValue? {
        guard !buffer.isEmpty else { return nil }
        let parsed = buffer.withUnsafeBytes { FrameHeader.parse($0, maximumFrameBytes: Int.max) }
        guard case .header(let headerLength, let contentLength) = parsed, buffer.count >= headerLength + contentLength else { return nil }
        let body = Array(buffer[headerLength..<(headerLength + contentLength)])
        buffer.removeFirst(headerLength + contentLength)
        return try JSONParser.parse(body)
    }
}
