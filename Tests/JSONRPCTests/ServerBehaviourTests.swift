import AidProtocol
import Foundation
import JSONRPC
import Synchronization
import Testing

struct ServerBehaviourTests {
    @Test func cancelledRequestIsAnsweredWithRequestCancelled() async throws {
        let server = try await TestServer()
        let raw = try server.raw()
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":41,"method":"test/sleep","params":{"ms":60000,"workDoneToken":"w"}}"#)
        let begin = try #require(try await raw.next())
        #expect(begin["method"] == "$/progress")
        #expect(begin["params"]?["token"] == "w")
        #expect(begin["params"]?["value"]?["kind"] == "begin")
        try raw.sendFrame(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":41}}"#)
        let answer = try #require(try await raw.next(timeout: .seconds(5)))
        #expect(answer["id"] == 41)
        #expect(answer["error"]?["code"] == -32800)
        // Answered exactly once: the next frame is the answer to a new request.
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":42,"method":"get_data"}"#)
        #expect(try await raw.next()?["id"] == 42)
        await server.stop()
    }

    @Test func nothingARequestStreamsFollowsItsCancellationAnswer() async throws {
        let server = try await TestServer()
        let raw = try server.raw()
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":7,"method":"test/stubborn"}"#)
        let piece = try #require(try await raw.next())
        #expect(piece["method"] == "test/piece" && piece["params"]?["text"] == "before")
        try raw.sendFrame(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":7}}"#)
        let answer = try #require(try await raw.next(timeout: .seconds(5)))
        #expect(answer["id"] == 7 && answer["error"]?["code"] == -32800)
        // The handler has sent its last piece by now; a client would take it for part of the
        // request sent again. The next frame is the answer to a new request.
        for await _ in server.lateSends { break }
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":8,"method":"get_data"}"#)
        let next = try #require(try await raw.next())
        #expect(next["id"] == 8, "\(next)")
        await server.stop()
    }

    @Test func nothingARequestStreamsFollowsItsRestartAnswer() async throws {
        let server = try await TestServer()
        let raw = try server.raw()
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":"s","method":"test/stubborn"}"#)
        #expect(try await raw.next()?["params"]?["text"] == "before")
        // The drain's deadline answers the request -32002 and the connection closes.
        await server.server.drain(timeout: .milliseconds(20))
        var frames: [JSONValue] = []
        while let frame = try await raw.next() { frames.append(frame) }
        #expect(frames.count == 1 && frames.first?["id"] == "s" && frames.first?["error"]?["code"] == -32002, "\(frames)")
        for await _ in server.lateSends { break }
        await server.stop()
    }

    @Test func requestsInFlightAreAnsweredAsTheyFinish() async throws {
        let server = try await TestServer()
        let raw = try server.raw()
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":"slow","method":"test/sleep","params":{"ms":300}}"#)
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":"fast","method":"get_data"}"#)
        #expect(try await raw.next()?["id"] == "fast")
        #expect(try await raw.next()?["id"] == "slow")
        await server.stop()
    }

    @Test func invalidParamsNameTheOffendingField() async throws {
        let server = try await TestServer()
        let raw = try server.raw()
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":1,"method":"subtract","params":[1,2,3]}"#)
        let tooMany = try #require(try await raw.next())
        #expect(tooMany["error"]?["code"] == -32602)
        #expect(tooMany["error"]?["message"]?.stringValue?.contains("at most 2 positional params (minuend, subtrahend)") == true)
        await server.stop()
    }

    @Test func immediateHandlersAnswerInOrderWithTheirErrors() async throws {
        let server = try await TestServer()
        let raw = try server.raw()
        // A slow request first: the immediate ones behind it are not held up by it.
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":"slow","method":"test/sleep","params":{"ms":300}}"#)
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":1,"method":"test/halve","params":{"value":42}}"#)
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":2,"method":"test/halve","params":{"value":3}}"#)
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":3,"method":"test/halve","params":{"number":4}}"#)
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":4,"method":"test/broken"}"#)
        let halved = try #require(try await raw.next())
        #expect(halved["id"] == 1)
        #expect(halved["result"] == 21)
        let odd = try #require(try await raw.next())
        #expect(odd["id"] == 2)
        #expect(odd["error"]?["code"] == -32602)
        #expect(odd["error"]?["message"]?.stringValue == "value must be even, got 3")
        let misnamed = try #require(try await raw.next())
        #expect(misnamed["id"] == 3)
        #expect(misnamed["error"]?["code"] == -32602)
        #expect(misnamed["error"]?["message"]?.stringValue?.contains("value") == true)
        let broken = try #require(try await raw.next())
        #expect(broken["id"] == 4)
        #expect(broken["error"]?["code"] == -32603)
        #expect(broken["error"]?["message"]?.stringValue?.contains("internal error in test/broken") == true)
        let slow = try #require(try await raw.next())
        #expect(slow["id"] == "slow")
        #expect(slow["result"] == "slept")
        await server.stop()
    }

    @Test func aSecondRequestWithAnIDInFlightIsRefused() async throws {
        let server = try await TestServer()
        let raw = try server.raw()
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":5,"method":"test/sleep","params":{"ms":400}}"#)
        try raw.sendFrame(#"{"jsonrpc":"2.0","id":5,"method":"get_data"}"#)
        let refused = try #require(try await raw.next())
        #expect(refused["error"]?["code"] == -32600)
        #expect(refused["error"]?["message"]?.stringValue?.contains("already used by a request in flight") == true)
        #expect(try await raw.next()?["result"] == "slept")
        await server.stop()
    }

    @Test func thirtyTwoClientsTimesFiveHundredRequestsEachGetTheirOwnAnswers() async throws {
        let server = try await TestServer()
        let clients = try (0..<32).map { _ in try server.client() }
        let mismatches = Counter()
        let answered = Counter()
        await withTaskGroup(of: Void.self) { group in
            for (c, client) in clients.enumerated() {
                group.addTask {
                    // Pipelined: all 500 in flight at once on this connection.
                    await withTaskGroup(of: Void.self) { inner in
                        for r in 0..<500 {
                            inner.addTask {
                                let value: JSONValue = .string("client \(c) request \(r)")
                                let result = try? await client.call("test/echo", params: ["value": value])
                                if result != value { mismatches.add() }
                                answered.add()
                            }
                        }
                    }
                }
            }
        }
        #expect(answered.value == 32 * 500)
        #expect(mismatches.value == 0)
        #expect(clients.allSatisfy { $0.unmatchedResponses == 0 })
        clients.forEach { $0.close() }
        await server.stop()
    }

    @Test func aClientThatDoesNotReadDoesNotHoldUpOthers() async throws {
        let server = try await TestServer { $0.maximumQueuedBytes = 1 << 20; $0.writeHighWatermark = 64 << 10 }
        let stalled = try server.raw()
        // Make the stalled client's sends non-blocking so the test itself never hangs.
        _ = fcntl(stalled.fd, F_SETFL, fcntl(stalled.fd, F_GETFL) | O_NONBLOCK)
        let request = OutgoingMessage.frame(Array(#"{"jsonrpc":"2.0","id":1,"method":"get_data"}"#.utf8))
        var flood: [UInt8] = []
        for _ in 0..<2000 { flood += request }
        for _ in 0..<200 {
            _ = flood.withUnsafeBytes { send(stalled.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        let healthy = try server.client()
        let started = ContinuousClock.now
        for i in 0..<200 {
            let answer = try await healthy.call("test/echo", params: ["value": .int(i)])
            #expect(answer == .int(i))
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        healthy.close()
        await server.stop()
    }
}

/// A count that concurrent tasks increment.
final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
