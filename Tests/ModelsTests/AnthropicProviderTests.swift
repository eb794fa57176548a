import Foundation
import Models
import ModelsTestSupport
import Testing

@Suite struct AnthropicProviderTests {
    private func run(_ request: ChatRequest, server: FakeModelServer, baseSuffix: String = "") async throws -> [ModelEvent] {
        var model = fakeModel("claude", .anthropic, server: server)
        model.baseURL = server.baseURL + baseSuffix
        let key = try APIKeySource.environment("ANTHROPIC_API_KEY").resolve(model: model.id) { _ in "sk-ant-test-key" }
        var events: [ModelEvent] = []
        for try await event in AnthropicMessagesProvider(client: TestHTTP.client).events(ProviderCall(request: request, model: model, apiKey: key)) {
            events.append(event)
        }
        return events
    }

    private func blocks(_ value: Any?) -> [[String: Any]] {
        value as? [[String: Any]] ?? []
    }

    private func hasCacheControl(_ block: [String: Any]) -> Bool {
        (block["cache_control"] as? [String: Any])?["type"] as? String == "ephemeral"
    }

    @Test func cacheControlMarksTheEndOfTheStablePrefix() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        server.enqueue(.events(FakeWire.anthropicEvents(["ok"])))
        let request = ChatRequest(
            messages: [
                .system("You edit code.", stable: true),
                .system("Project conventions: tabs.", stable: true),
                .user("<file a.swift>", stable: true),
                .user("<file b.swift>", stable: true),
                .assistant("Understood.", stable: true),
                .system("Today is Tuesday.", stable: false),
                .user("Rename foo to bar"),
            ],
            task: "edit")
        _ = try await run(request, server: server)
        let body = try #require(server.requests.first?.jsonBody())
        let system = blocks(body["system"])
        #expect(system.map { $0["text"] as? String } == ["You edit code.", "Project conventions: tabs.", "Today is Tuesday."])
        #expect(system.map(hasCacheControl) == [false, true, false])
        let messages = try #require(body["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user"])
        // The two stable user messages became one message of two blocks.
        #expect(blocks(messages[0]["content"]).map { $0["text"] as? String } == ["<file a.swift>", "<file b.swift>"])
        #expect(blocks(messages[0]["content"]).map(hasCacheControl) == [false, false])
        #expect(blocks(messages[1]["content"]).map(hasCacheControl) == [true])
        #expect(blocks(messages[2]["content"]).map(hasCacheControl) == [false])
        let breakpoints = server.requests.first!.bodyText.components(separatedBy: "cache_control").count - 1
        #expect(breakpoints == 2)
    }

    @Test func noStablePrefixMeansNoBreakpoint() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        server.enqueue(.events(FakeWire.anthropicEvents(["ok"])))
        // A stable message after an unstable one is not part of the prefix.
        let request = ChatRequest(messages: [.user("question"), .assistant("answer", stable: true), .user("more", stable: true)], task: "chat")
        _ = try await run(request, server: server)
        let sent = try #require(server.requests.first)
        #expect(!sent.bodyText.contains("cache_control"))
        #expect(sent.jsonBody()?["system"] == nil)
    }

    @Test func stablePrefixInsideOneMergedMessageMarksItsLastStableBlock() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        server.enqueue(.events(FakeWire.anthropicEvents(["ok"])))
        let request = ChatRequest(messages: [.user("context", stable: true), .user("question")], task: "chat")
        _ = try await run(request, server: server)
        let messages = try #require(server.requests.first?.jsonBody()?["messages"] as? [[String: Any]])
        #expect(messages.count == 1)
        #expect(blocks(messages[0]["content"]).map(hasCacheControl) == [true, false])
    }

    @Test func headersPathAndUsageWithCache() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        server.enqueue(.events(FakeWire.anthropicEvents(
            ["Hi", " there"], stopReason: "max_tokens", inputTokens: 12, outputTokens: 7, cacheReadTokens: 2048, cacheCreationTokens: 300)))
        let events = try await run(editRequest(), server: server)
        #expect(events == [
            .delta("Hi"), .delta(" there"),
            .usage(Usage(inputTokens: 12 + 2048 + 300, outputTokens: 7, cachedInputTokens: 2048, cacheCreationTokens: 300)),
            .done(.length),
        ])
        let request = try #require(server.requests.first)
        #expect(request.uri == "/v1/messages")
        #expect(request.header("x-api-key") == "sk-ant-test-key")
        #expect(request.header("anthropic-version") == "2023-06-01")
        #expect(request.header("authorization") == nil)
        let body = try #require(request.jsonBody())
        #expect(body["stream"] as? Bool == true)
        #expect(body["max_tokens"] as? Int == 256)
        #expect(body["model"] as? String == "claude-upstream")
    }

    @Test func baseURLEndingInV1IsAccepted() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        server.enqueue(.events(FakeWire.anthropicEvents(["ok"], stopReason: "stop_sequence")))
        let events = try await run(editRequest(), server: server, baseSuffix: "/v1")
        #expect(events.last == .done(.stopSequence))
        #expect(server.requests.first?.uri == "/v1/messages")
    }

    @Test func errorEventFailsTheCall() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        let events = FakeWire.anthropicEvents(["never"])
        server.enqueue(.events(Array(events.prefix(3)) + [FakeWire.anthropicError()]))
        await #expect {
            _ = try await run(editRequest(), server: server)
        } throws: { error in
            let error = error as? ModelError
            return error?.kind == .upstreamError && error?.message.contains("overloaded_error") == true
        }
    }

    @Test func streamEndingBeforeMessageStopIsBroken() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        server.enqueue(.events(Array(FakeWire.anthropicEvents(["a"]).dropLast())))
        await #expect {
            _ = try await run(editRequest(), server: server)
        } throws: { ($0 as? ModelError)?.kind == .brokenStream }
    }
}
