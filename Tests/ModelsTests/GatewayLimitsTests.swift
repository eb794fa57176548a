@testable import Models
import ModelsTestSupport
import Testing

@Suite struct GatewayLimitsTests {
    @Test func concurrencyLimitHoldsCallsToAModel() async throws {
        let server = try await FakeModelServer.start()
        var held = FakeResponse.events(FakeWire.openAIEvents(["first"]))
        held.steps.insert(.waitForResume, at: 2)  // after the role chunk and the first token
        server.enqueue(held, .events(FakeWire.openAIEvents(["second"])))
        var model = fakeModel("m", server: server)
        model.concurrency = 1
        let gateway = makeGateway([model])
        let first = Task { try await gateway.complete(editRequest(), options: CallOptions(requestID: "1")) }
        #expect(await server.waitForRequests(1))
        let second = Task { try await gateway.complete(editRequest(), options: CallOptions(requestID: "2")) }
        #expect(await eventually { gateway.concurrency(ofModel: "m")?.waiting == 1 })
        #expect(server.requests.count == 1)
        server.resume()
        #expect(try await first.value.text == "first")
        #expect(try await second.value.text == "second")
        #expect(server.requests.count == 2)
        #expect(gateway.concurrency(ofModel: "m")?.inUse == 0)
        await server.shutdown()
    }

    @Test func aTokenAfterATimeoutIsNotTakenAsTheFirst() {
        let activity = StreamActivity()
        let start = activity.started
        // Before the first token the watchdog wakes at least once per idle period.
        #expect(activity.check(now: start, firstTokenLimit: .seconds(10), idleLimit: .seconds(1), deadline: start + .seconds(60)) == .wait(until: start + .seconds(1)))
        #expect(activity.check(now: start + .seconds(10), firstTokenLimit: .seconds(10), idleLimit: .seconds(1), deadline: start + .seconds(60)) == .expired(.firstToken))
        activity.noteEvent()
        #expect(activity.firstToken == nil)
        #expect(activity.isExpired)
    }

    @Test func deadlineComesBeforeOtherLimits() {
        let activity = StreamActivity()
        let start = activity.started
        activity.noteEvent()
        #expect(activity.check(now: start + .seconds(5), firstTokenLimit: .seconds(1), idleLimit: .seconds(1), deadline: start + .seconds(2)) == .expired(.deadline))
    }

    @Test func backoffDoublesWithJitterAndHonoursRetryAfter() {
        let policy = RetryPolicy(maxRetries: 3, base: .milliseconds(100), maximum: .milliseconds(300), maxRetryAfter: .seconds(10))
        #expect(policy.delay(beforeRetry: 0, retryAfter: nil, random: 0) == .milliseconds(50))
        #expect(policy.delay(beforeRetry: 0, retryAfter: nil, random: 1) == .milliseconds(100))
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, random: 1) == .milliseconds(200))
        #expect(policy.delay(beforeRetry: 2, retryAfter: nil, random: 1) == .milliseconds(300), "capped")
        #expect(policy.delay(beforeRetry: 3, retryAfter: nil, random: 1) == nil, "retries used up")
        #expect(policy.delay(beforeRetry: 0, retryAfter: .seconds(2), random: 0.5) == .seconds(2))
        #expect(policy.delay(beforeRetry: 0, retryAfter: .seconds(11), random: 0.5) == nil, "too long to wait")
    }
}
