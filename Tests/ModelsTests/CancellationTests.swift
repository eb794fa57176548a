import Models
import ModelsTestSupport
import Testing

@Suite struct CancellationTests {
    @Test func cancellingTheConsumerClosesTheUpstreamStream() async throws {
        let server = try await FakeModelServer.start()
        // Two tokens, then the server holds the stream open (a long answer in progress).
        server.enqueue(.events(FakeWire.openAIEvents(["first ", "second"]), stallAfter: 2))
        let records = ModelCallCollector()
        let gateway = makeGateway(
            [fakeModel("m", server: server)], settings: testSettings(firstToken: .seconds(30), idle: .seconds(30)), observer: records)
        let firstDelta = AsyncStream<String>.makeStream()
        let consumer = Task {
            for try await event in gateway.stream(editRequest(), options: CallOptions(requestID: "cancel-me")) {
                if case .delta(let text) = event { firstDelta.continuation.yield(text) }
            }
        }
        var iterator = firstDelta.stream.makeAsyncIterator()
        #expect(await iterator.next() == "first ")
        consumer.cancel()
        // The server sees the client close the connection in the middle of the response.
        #expect(await server.waitForAbandonedResponses(1, timeout: .seconds(5)))
        _ = await consumer.result
        #expect(await eventually { records.records.count == 1 })
        #expect(records.records.first?.outcome == .cancelled)
        await server.shutdown()
    }

    @Test func cancellingBeforeTheFirstTokenClosesTheConnection() async throws {
        let server = try await FakeModelServer.start()
        server.enqueue(.stallBeforeFirstToken)
        let gateway = makeGateway([fakeModel("m", server: server)], settings: testSettings(firstToken: .seconds(30)))
        let consumer = Task {
            try await gateway.complete(editRequest(), options: CallOptions(requestID: "c"))
        }
        #expect(await server.waitForRequests(1))
        consumer.cancel()
        #expect(await server.waitForAbandonedResponses(1, timeout: .seconds(5)))
        let outcome = await consumer.result
        #expect(throws: (any Error).self) { try outcome.get() }
        await server.shutdown()
    }

    @Test func droppingTheStreamCancelsTheRequest() async throws {
        let server = try await FakeModelServer.start()
        server.enqueue(.events(FakeWire.anthropicEvents(["a", "b"]), stallAfter: 4))
        let gateway = makeGateway([fakeModel("m", .anthropic, server: server)], settings: testSettings(firstToken: .seconds(30), idle: .seconds(30)))
        do {
            let stream = gateway.stream(editRequest(), options: CallOptions(requestID: "drop"))
            for try await event in stream {
                if case .delta = event { break }  // stop reading: the stream is dropped
            }
        }
        #expect(await server.waitForAbandonedResponses(1, timeout: .seconds(5)))
        await server.shutdown()
    }

    @Test func waitingForAConcurrencyPlaceIsCancellable() async throws {
        let limiter = ConcurrencyLimiter(limit: 1)
        try await limiter.acquire()
        let waiter = Task { try await limiter.acquire() }
        #expect(await eventually { limiter.waiting == 1 })
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(limiter.waiting == 0)
        limiter.release()
        #expect(limiter.inUse == 0)
    }

    @Test func concurrencyLimitQueuesInOrder() async throws {
        let limiter = ConcurrencyLimiter(limit: 2)
        try await limiter.acquire()
        try await limiter.acquire()
        let third = Task { try await limiter.acquire() }
        #expect(await eventually { limiter.waiting == 1 })
        #expect(limiter.inUse == 2)
        limiter.release()
        try await third.value
        #expect(limiter.inUse == 2)
        #expect(limiter.waiting == 0)
        limiter.release()
        limiter.release()
        #expect(limiter.inUse == 0)
    }
}
