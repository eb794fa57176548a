import Models
import ModelsTestSupport
import Testing

@Suite struct CircuitBreakerTests {
    @Test func opensAfterConsecutiveFailuresThenProbesAndCloses() {
        let clock = ManualClock()
        let breaker = CircuitBreaker(failureThreshold: 3, cooldown: .seconds(10))
        for _ in 0..<2 {
            let permit = breaker.acquire(at: clock.now)
            #expect(permit == .normal)
            breaker.failed(permit!, at: clock.now)
        }
        #expect(breaker.state(at: clock.now) == .closed)
        breaker.succeeded(.normal)  // a success resets the count
        for _ in 0..<3 { breaker.failed(breaker.acquire(at: clock.now)!, at: clock.now) }
        #expect(breaker.state(at: clock.now) == .open)
        #expect(breaker.acquire(at: clock.now) == nil)
        clock.advance(by: .seconds(9))
        #expect(breaker.acquire(at: clock.now) == nil)
        clock.advance(by: .seconds(1))
        #expect(breaker.state(at: clock.now) == .halfOpen)
        let probe = breaker.acquire(at: clock.now)
        #expect(probe == .probe)
        #expect(breaker.acquire(at: clock.now) == nil, "only one probe at a time")
        breaker.failed(.probe, at: clock.now)
        #expect(breaker.state(at: clock.now) == .open, "a failed probe opens it again")
        clock.advance(by: .seconds(10))
        #expect(breaker.acquire(at: clock.now) == .probe)
        breaker.released(.probe)
        #expect(breaker.acquire(at: clock.now) == .probe, "a cancelled probe can be retried")
        breaker.succeeded(.probe)
        #expect(breaker.state(at: clock.now) == .closed)
        #expect(breaker.acquire(at: clock.now) == .normal)
    }

    @Test func gatewaySkipsAnOpenCircuitAndRecoversAfterTheCooldown() async throws {
        let flaky = try await FakeModelServer.start()
        let backup = try await FakeModelServer.start()
        backup.answerWhenIdle(.events(FakeWire.openAIEvents(["backup"])))
        let clock = ManualClock()
        let records = ModelCallCollector()
        let gateway = makeGateway(
            [fakeModel("flaky", server: flaky), fakeModel("backup", server: backup)],
            settings: testSettings(failureThreshold: 2), observer: records, environment: testEnvironment(clock: clock))
        flaky.enqueue(.serverError(), .serverError())
        for index in 0..<2 {
            let result = await collect(gateway.stream(editRequest(), options: CallOptions(requestID: "fail-\(index)")))
            #expect(result.text == "backup")
        }
        #expect(gateway.circuitState(ofModel: "flaky") == .open)
        #expect(flaky.requests.count == 2)

        // While open, the flaky model is not called at all.
        let skipped = await collect(gateway.stream(editRequest(), options: CallOptions(requestID: "skipped")))
        #expect(skipped.text == "backup")
        #expect(flaky.requests.count == 2)
        #expect(records.records.filter { $0.requestID == "skipped" }.map(\.model) == ["backup"])

        // After the cool-down one probe goes through; its success closes the circuit.
        clock.advance(by: .seconds(31))
        #expect(gateway.circuitState(ofModel: "flaky") == .halfOpen)
        flaky.enqueue(.events(FakeWire.openAIEvents(["recovered"])))
        let probe = await collect(gateway.stream(editRequest(), options: CallOptions(requestID: "probe")))
        #expect(probe.text == "recovered")
        #expect(gateway.circuitState(ofModel: "flaky") == .closed)
        await flaky.shutdown()
        await backup.shutdown()
    }

    @Test func aRouteOfOpenCircuitsFailsWithCircuitOpen() async throws {
        let only = try await FakeModelServer.start()
        only.enqueue(.serverError())
        let gateway = makeGateway([fakeModel("only", server: only)], settings: testSettings(failureThreshold: 1))
        _ = await collect(gateway.stream(editRequest(), options: CallOptions(requestID: "1")))
        let result = await collect(gateway.stream(editRequest(), options: CallOptions(requestID: "2")))
        #expect(result.modelError?.kind == .circuitOpen)
        #expect(only.requests.count == 1)
        await only.shutdown()
    }
}
