import Foundation
@testable import Models
import ModelsTestSupport
import Testing

/// Requests whose caller wants the whole answer (`ChatRequest.stream` false): the upstream call
/// is not streamed, and everything else (fallback, retries, records, cancellation) is as for a
/// streamed one.
@Suite struct WholeAnswerTests {
    private func wholeRequest() -> ChatRequest {
        var request = editRequest()
        request.stream = false
        return request
    }

    @Test func openAIWholeAnswerWithUsageAndCachedTokens() async throws {
        let server = try await FakeModelServer.start()
        server.enqueue(.json(FakeWire.openAICompletion("Hello world", finishReason: "length", promptTokens: 1200, completionTokens: 2, cachedTokens: 1024)))
        let records = ModelCallCollector()
        let gateway = makeGateway([fakeModel("gpt", server: server)], observer: records)
        let result = await collect(gateway.stream(wholeRequest(), options: CallOptions(requestID: "w")))
        #expect(result.error == nil)
        #expect(result.events == [
            .started(model: "gpt", provider: .openai, attempt: 1),
            .delta("Hello world"),
            .usage(Usage(inputTokens: 1200, outputTokens: 2, cachedInputTokens: 1024)),
            .done(.length),
        ])
        let request = try #require(server.requests.first)
        #expect(request.uri == "/v1/chat/completions")
        #expect(request.header("accept") == "application/json")
        let body = try #require(request.jsonBody())
        #expect(body["stream"] as? Bool == false)
        #expect(body["stream_options"] == nil, "OpenAI rejects stream_options without stream")
        #expect(body["model"] as? String == "gpt-upstream" && body["max_tokens"] as? Int == 256)
        let record = try #require(records.records.first)
        #expect(record.outcome == .success && record.usage.cachedInputTokens == 1024)
        // The first token of a whole answer is the answer itself.
        let firstToken = try #require(record.timeToFirstToken)
        #expect(firstToken > 0 && firstToken <= record.totalTime)
        await server.shutdown()
    }

    @Test func anthropicWholeAnswerWithCacheReadsAndWrites() async throws {
        let server = try await FakeModelServer.start()
        server.enqueue(.json(FakeWire.anthropicMessage(
            ["Hel", "lo"], stopReason: "max_tokens", inputTokens: 10, outputTokens: 3, cacheReadTokens: 2048, cacheCreationTokens: 512)))
        let gateway = makeGateway([fakeModel("claude", .anthropic, server: server)])
        let answer = try await gateway.complete(wholeRequest(), options: CallOptions(requestID: "a"))
        #expect(answer.text == "Hello")
        #expect(answer.finishReason == .length)
        #expect(answer.usage == Usage(inputTokens: 10 + 2048 + 512, outputTokens: 3, cachedInputTokens: 2048, cacheCreationTokens: 512))
        let request = try #require(server.requests.first)
        #expect(request.uri == "/v1/messages")
        let body = try #require(request.jsonBody())
        #expect(body.keys.contains("stream") == false, "a whole Messages request has no stream field")
        #expect(body["model"] as? String == "claude-upstream")
        await server.shutdown()
    }

    @Test func streamedRequestsStillStream() async throws {
        let server = try await FakeModelServer.start()
        server.enqueue(.events(FakeWire.anthropicEvents(["a"])))
        let gateway = makeGateway([fakeModel("claude", .anthropic, server: server)])
        let answer = try await gateway.complete(editRequest(), options: CallOptions(requestID: "s"))
        #expect(answer.text == "a")
        #expect(server.requests.first?.jsonBody()?["stream"] as? Bool == true)
        await server.shutdown()
    }

    @Test func serverErrorFallsBackToAWholeAnswer() async throws {
        let f = try await WholeFixture()
        f.primary.enqueue(.serverError())
        let result = await f.run()
        #expect(result.error == nil)
        #expect(result.text == "from backup")
        #expect(result.startedModels == ["backup"])
        #expect(f.outcomes == ["primary:server_error", "backup:success"])
        #expect(f.records.records.first?.httpStatus == 500)
        #expect(f.backup.requests.first?.jsonBody()?["stream"] as? Bool == false)
        await f.shutdown()
    }

    @Test func rateLimitIsRetriedAfterRetryAfter() async throws {
        let f = try await WholeFixture()
        f.primary.enqueue(.rateLimited(retryAfter: "1"), .json(FakeWire.openAICompletion("primary")))
        let result = await f.run()
        #expect(result.text == "primary")
        #expect(f.sleeps.all == [.seconds(1)])
        #expect(f.outcomes == ["primary:rate_limited", "primary:success"])
        #expect(f.primary.requests.allSatisfy { $0.jsonBody()?["stream"] as? Bool == false })
        #expect(f.backup.requests.isEmpty)
        await f.shutdown()
    }

    @Test func malformedBodyIsAClearErrorAndFallsBack() async throws {
        let f = try await WholeFixture()
        f.primary.enqueue(.json(FakeWire.malformedBody))
        let result = await f.run()
        #expect(result.text == "from backup")
        #expect(f.outcomes == ["primary:malformed_response", "backup:success"])

        // Alone on its route, the error says what is wrong.
        let server = try await FakeModelServer.start()
        server.enqueue(.json(FakeWire.malformedBody))
        let gateway = makeGateway([fakeModel("alone", server: server)])
        let alone = await collect(gateway.stream(wholeRequest(), options: CallOptions(requestID: "m")))
        let error = try #require(alone.modelError)
        #expect(error.kind == .malformedResponse)
        #expect(error.message.contains("not valid Chat Completions JSON"))
        #expect(alone.events.isEmpty)
        await server.shutdown()
        await f.shutdown()
    }

    @Test func errorsMapAsWhenStreaming() async throws {
        let server = try await FakeModelServer.start()
        let gateway = makeGateway([fakeModel("claude", .anthropic, server: server)], settings: testSettings(maxRetries: 0))
        let cases: [(FakeResponse, ModelError.Kind)] = [
            (.htmlPage(), .wrongContentType),
            (.status(401, body: #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#), .unauthorized),
            (.json(#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#), .upstreamError),
            (.json(#"{"type":"message","role":"assistant"}"#), .malformedResponse),
        ]
        for (response, kind) in cases {
            server.enqueue(response)
            let result = await collect(gateway.stream(wholeRequest(), options: CallOptions(requestID: "e")))
            #expect(result.modelError?.kind == kind, "\(response.status) -> \(kind)")
        }
        await server.shutdown()
    }

    @Test func aServerThatStreamsAnywayIsReadAsAStream() async throws {
        let server = try await FakeModelServer.start()
        server.enqueue(.events(FakeWire.openAIEvents(["Str", "eamed"], cachedTokens: 3)))
        let gateway = makeGateway([fakeModel("gpt", server: server)])
        let answer = try await gateway.complete(wholeRequest(), options: CallOptions(requestID: "x"))
        #expect(answer.text == "Streamed" && answer.usage?.cachedInputTokens == 3)
        await server.shutdown()
    }

    @Test func noFirstTokenOrIdleTimeoutOnlyTheDeadline() async throws {
        let server = try await FakeModelServer.start()
        // The answer comes well after the model's 1 ms first-token and idle limits, which would
        // end a streamed call; a whole one waits for it.
        var late = FakeResponse.json(FakeWire.openAICompletion("late"))
        late.steps.insert(.pause(.milliseconds(100)), at: 0)
        server.enqueue(late, .silent)
        let records = ModelCallCollector()
        let gateway = makeGateway(
            [fakeModel("slow", server: server, firstToken: .milliseconds(1), idle: .milliseconds(1))], observer: records)
        let answer = try await gateway.complete(wholeRequest(), options: CallOptions(requestID: "late"))
        #expect(answer.text == "late")
        // The deadline still ends a call that never answers.
        let silent = await collect(gateway.stream(wholeRequest(), options: CallOptions(requestID: "silent", deadline: .milliseconds(300))))
        #expect(silent.modelError?.kind == .deadlineExceeded)
        #expect(records.records.map(\.outcome) == [.success, .failure])
        await server.shutdown()
    }

    @Test func cancellingClosesTheUpstreamConnection() async throws {
        let server = try await FakeModelServer.start()
        server.enqueue(.silent)
        let records = ModelCallCollector()
        let gateway = makeGateway([fakeModel("m", server: server)], observer: records)
        let consumer = Task {
            try await gateway.complete(wholeRequest(), options: CallOptions(requestID: "c"))
        }
        #expect(await server.waitForRequests(1))
        consumer.cancel()
        #expect(await server.waitForAbandonedResponses(1, timeout: .seconds(5)))
        let outcome = await consumer.result
        #expect(throws: (any Error).self) { try outcome.get() }
        #expect(await eventually { records.records.count == 1 })
        #expect(records.records.first?.outcome == .cancelled)
        await server.shutdown()
    }

    @Test func checkWithoutFirstTokenOrIdleLimitWaitsForTheDeadline() {
        let activity = StreamActivity()
        let start = activity.started
        let deadline = start + .seconds(60)
        #expect(activity.check(now: start + .seconds(30), firstTokenLimit: nil, idleLimit: nil, deadline: deadline) == .wait(until: deadline))
        #expect(activity.check(now: deadline, firstTokenLimit: nil, idleLimit: nil, deadline: deadline) == .expired(.deadline))
    }

    /// A primary and a backup server answering whole, a gateway routing `edit` to both.
    struct WholeFixture {
        let primary: FakeModelServer
        let backup: FakeModelServer
        let gateway: ModelGateway
        let records = ModelCallCollector()
        let sleeps = SleepLog()

        init() async throws {
            primary = try await FakeModelServer.start()
            backup = try await FakeModelServer.start()
            backup.answerWhenIdle(.json(FakeWire.openAICompletion("from backup")))
            gateway = makeGateway(
                [fakeModel("primary", server: primary), fakeModel("backup", server: backup)],
                observer: records, environment: testEnvironment(sleeps: sleeps))
        }

        func run() async -> StreamResult {
            var request = editRequest()
            request.stream = false
            return await collect(gateway.stream(request, options: CallOptions(requestID: "r1")))
        }

        var outcomes: [String] {
            records.records.map { "\($0.model):\($0.errorClass ?? $0.outcome.rawValue)" }
        }

        func shutdown() async {
            await primary.shutdown()
            await backup.shutdown()
        }
    }
}
