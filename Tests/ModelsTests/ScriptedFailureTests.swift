import Foundation
import Models
import ModelsTestSupport
import Testing

/// Each scripted failure of the fake server, through the gateway, with a backup model behind.
@Suite struct ScriptedFailureTests {
    /// A primary and a backup server, a gateway routing `edit` to primary then backup.
    struct Fixture {
        let primary: FakeModelServer
        let backup: FakeModelServer
        let gateway: ModelGateway
        let records: ModelCallCollector
        let sleeps: SleepLog

        /// `firstToken` and `idle` shorten the primary's timeouts, for the tests of timeouts only
        /// (other tests keep generous ones so that a loaded machine does not fail them).
        init(
            settings: GatewaySettings = testSettings(), primaryKind: ProviderKind = .openai,
            firstToken: Duration? = nil, idle: Duration? = nil
        ) async throws {
            primary = try await FakeModelServer.start()
            backup = try await FakeModelServer.start()
            backup.answerWhenIdle(.events(FakeWire.openAIEvents(["from ", "backup"])))
            records = ModelCallCollector()
            sleeps = SleepLog()
            gateway = makeGateway(
                [fakeModel("primary", primaryKind, server: primary, firstToken: firstToken, idle: idle), fakeModel("backup", server: backup)],
                settings: settings, observer: records, environment: testEnvironment(sleeps: sleeps))
        }

        func run(_ policy: MidStreamFailurePolicy = .stop, onEvent: (GatewayEvent) -> Void = { _ in }) async -> StreamResult {
            await collect(gateway.stream(editRequest(), options: CallOptions(requestID: "r1", onMidStreamFailure: policy)), onEvent: onEvent)
        }

        func shutdown() async {
            await primary.shutdown()
            await backup.shutdown()
        }

        var outcomes: [String] {
            records.records.map { "\($0.model):\($0.errorClass ?? $0.outcome.rawValue)" }
        }
    }

    @Test func serverErrorFallsBackSilently() async throws {
        let f = try await Fixture()
        f.primary.enqueue(.serverError())
        let result = await f.run()
        #expect(result.error == nil)
        #expect(result.text == "from backup")
        #expect(result.startedModels == ["backup"])
        #expect(result.interruptions.isEmpty)
        #expect(f.outcomes == ["primary:server_error", "backup:success"])
        #expect(f.records.records.first?.httpStatus == 500)
        #expect(f.records.records.map(\.attempt) == [1, 2])
        #expect(f.records.records.map(\.fallbackIndex) == [0, 1])
        await f.shutdown()
    }

    @Test func rateLimitIsRetriedAfterRetryAfter() async throws {
        let f = try await Fixture()
        f.primary.enqueue(.rateLimited(retryAfter: "1"), .events(FakeWire.openAIEvents(["primary"])))
        let result = await f.run()
        #expect(result.text == "primary")
        #expect(f.sleeps.all == [.seconds(1)])
        #expect(f.outcomes == ["primary:rate_limited", "primary:success"])
        #expect(f.backup.requests.isEmpty)
        await f.shutdown()
    }

    @Test func serviceUnavailableIsRetriedWithBackoff() async throws {
        let f = try await Fixture()
        f.primary.enqueue(.unavailable(retryAfter: "0"), .unavailable(retryAfter: "0"), .events(FakeWire.openAIEvents(["third time"])))
        let result = await f.run()
        #expect(result.text == "third time")
        // Jitter fixed at 0.5: 0.75 of 100 ms, then of 200 ms.
        #expect(f.sleeps.all == [.milliseconds(75), .milliseconds(150)])
        #expect(f.outcomes == ["primary:server_error", "primary:server_error", "primary:success"])
        await f.shutdown()
    }

    @Test func exhaustedRateLimitFallsBack() async throws {
        let f = try await Fixture()
        f.primary.enqueue(.rateLimited(retryAfter: "0.2"), .rateLimited(retryAfter: "0.2"), .rateLimited(retryAfter: "0.2"))
        let result = await f.run()
        #expect(result.text == "from backup")
        #expect(f.sleeps.all.count == 2)
        #expect(f.sleeps.all.allSatisfy { $0 >= .milliseconds(200) })
        #expect(f.outcomes == ["primary:rate_limited", "primary:rate_limited", "primary:rate_limited", "backup:success"])
        await f.shutdown()
    }

    @Test func retryAfterLongerThanTheLimitFallsBackAtOnce() async throws {
        let f = try await Fixture()
        f.primary.enqueue(.rateLimited(retryAfter: "3600"))
        let result = await f.run()
        #expect(result.text == "from backup")
        #expect(f.sleeps.all.isEmpty)
        await f.shutdown()
    }

    @Test func stallBeforeFirstTokenTimesOutAndFallsBack() async throws {
        let f = try await Fixture(firstToken: .milliseconds(400))
        f.primary.enqueue(.stallBeforeFirstToken)
        let result = await f.run()
        #expect(result.text == "from backup")
        #expect(result.interruptions.isEmpty)
        #expect(f.outcomes == ["primary:first_token_timeout", "backup:success"])
        #expect(await f.primary.waitForAbandonedResponses(1))
        await f.shutdown()
    }

    @Test func stallMidStreamIsReportedAndStopsByDefault() async throws {
        let f = try await Fixture(idle: .seconds(1))
        f.primary.enqueue(.events(FakeWire.openAIEvents(["partial ", "answer"]), stallAfter: 2))
        let result = await f.run(.stop)
        #expect(result.modelError?.kind == .idleTimeout)
        #expect(result.interruptions.map(\.1) == [false])
        #expect(result.interruptions.first?.0.kind == .idleTimeout)
        #expect(result.text == "partial ")
        #expect(f.backup.requests.isEmpty)
        #expect(f.outcomes == ["primary:idle_timeout"])
        #expect(f.records.records.first?.timeToFirstToken != nil)
        #expect(await f.primary.waitForAbandonedResponses(1))
        await f.shutdown()
    }

    @Test func stallMidStreamRestartsOnTheFallbackWhenAsked() async throws {
        let f = try await Fixture(idle: .seconds(1))
        f.primary.enqueue(.events(FakeWire.openAIEvents(["partial ", "answer"]), stallAfter: 2))
        let result = await f.run(.restartOnFallback)
        #expect(result.error == nil)
        #expect(result.interruptions.map(\.1) == [true])
        #expect(result.startedModels == ["primary", "backup"])
        #expect(result.text == "from backup")
        #expect(f.outcomes == ["primary:idle_timeout", "backup:success"])
        await f.shutdown()
    }

    @Test func brokenStreamBeforeFirstTokenFallsBackSilently() async throws {
        let f = try await Fixture()
        // Only the role chunk (no text) arrives, then half an event and a closed connection.
        f.primary.enqueue(.events(FakeWire.openAIEvents(["never"]), breakAfter: 1))
        let result = await f.run()
        #expect(result.text == "from backup")
        #expect(result.interruptions.isEmpty)
        #expect(f.outcomes == ["primary:broken_stream", "backup:success"])
        await f.shutdown()
    }

    @Test func brokenStreamAfterFirstTokenIsReported() async throws {
        let f = try await Fixture()
        // The connection breaks only once the client has seen the first token (a client may
        // lose bytes still buffered when a connection breaks, so this keeps the test exact).
        f.primary.enqueue(.events(FakeWire.openAIEvents(["one ", "two ", "three"]), breakOnResumeAfter: 3))
        let result = await f.run { event in
            if case .delta("two ") = event { f.primary.resume() }
        }
        #expect(result.modelError?.kind == .brokenStream)
        #expect(result.interruptions.map(\.1) == [false])
        #expect(result.text == "one two ")
        await f.shutdown()
    }

    @Test func anthropicBrokenStreamIsDetectedToo() async throws {
        let f = try await Fixture(primaryKind: .anthropic)
        f.primary.enqueue(.events(FakeWire.anthropicEvents(["x"]), breakAfter: 2))
        let result = await f.run()
        #expect(result.text == "from backup")
        #expect(f.outcomes == ["primary:broken_stream", "backup:success"])
        await f.shutdown()
    }

    @Test func malformedJSONChunkFallsBack() async throws {
        let f = try await Fixture()
        f.primary.enqueue(.events([FakeWire.malformedChunk] + FakeWire.openAIEvents(["x"])))
        let result = await f.run()
        #expect(result.text == "from backup")
        #expect(f.outcomes == ["primary:malformed_response", "backup:success"])
        await f.shutdown()
    }

    @Test func wrongContentTypeFallsBack() async throws {
        let f = try await Fixture()
        f.primary.enqueue(.htmlPage())
        let result = await f.run()
        #expect(result.text == "from backup")
        #expect(f.outcomes == ["primary:wrong_content_type", "backup:success"])
        await f.shutdown()
    }

    @Test func hugeResponseIsCutOff() async throws {
        let f = try await Fixture(settings: testSettings(maxResponseBytes: 64 * 1024))
        f.primary.enqueue(.events(FakeWire.hugeOpenAIEvents(bytes: 1 << 20), writeBytes: 64 * 1024))
        let result = await f.run()
        #expect(result.modelError?.kind == .responseTooLarge)
        // The client hung up rather than read the rest (which may already sit in socket buffers).
        #expect(await f.primary.wait { $0.connectionsAccepted == 1 && $0.openConnections == 0 })
        #expect(result.interruptions.count == 1)
        #expect(result.text.utf8.count < 64 * 1024)
        #expect(f.outcomes == ["primary:response_too_large"])
        await f.shutdown()
    }

    @Test func badRequestDoesNotFallBack() async throws {
        let f = try await Fixture()
        f.primary.enqueue(.status(400, body: #"{"error":{"message":"max_tokens is too large"}}"#))
        let result = await f.run()
        #expect(result.modelError?.kind == .badRequest)
        #expect(result.modelError?.message.contains("max_tokens is too large") == true)
        #expect(f.backup.requests.isEmpty)
        await f.shutdown()
    }

    @Test func connectionRefusedFallsBack() async throws {
        let backup = try await FakeModelServer.start()
        backup.enqueue(.events(FakeWire.openAIEvents(["ok"])))
        var dead = fakeModel("dead", server: backup)
        dead.baseURL = try await closedPortURL() + "/v1"
        let records = ModelCallCollector()
        let gateway = makeGateway([dead, fakeModel("backup", server: backup)], observer: records)
        let result = await collect(gateway.stream(editRequest(), options: CallOptions(requestID: "r")))
        #expect(result.text == "ok")
        #expect(records.records.first?.errorClass == "connection")
        await backup.shutdown()
    }

    @Test func deadlineEndsTheRequestWithoutFallback() async throws {
        let f = try await Fixture(settings: testSettings(deadline: .milliseconds(300)))
        f.primary.enqueue(.stallBeforeFirstToken)
        let result = await f.run()
        #expect(result.modelError?.kind == .deadlineExceeded)
        #expect(f.backup.requests.isEmpty)
        #expect(f.outcomes == ["primary:deadline"])
        await f.shutdown()
    }

    @Test func serverThatSendsNothingAtAllTimesOut() async throws {
        let f = try await Fixture(firstToken: .milliseconds(400))
        f.primary.enqueue(.silent)
        let result = await f.run()
        #expect(result.text == "from backup")
        #expect(f.outcomes == ["primary:first_token_timeout", "backup:success"])
        await f.shutdown()
    }

    @Test func retryAfterAsHTTPDate() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let later = "Tue, 14 Nov 2023 22:13:40 GMT"  // 20 s after `now`
        #expect(RetryAfter.parse(later, now: now) == .seconds(20))
        #expect(RetryAfter.parse("2.5", now: now) == .milliseconds(2500))
        #expect(RetryAfter.parse("soon", now: now) == nil)
    }
}
