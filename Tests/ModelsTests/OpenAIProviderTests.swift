import Foundation
import Models
import ModelsTestSupport
import Testing

@Suite struct OpenAIProviderTests {
    private func run(_ request: ChatRequest, model: ModelDefinition, key: String? = "sk-test-openai") async throws -> [ModelEvent] {
        let provider = OpenAIChatProvider(client: TestHTTP.client)
        let apiKey = try key.flatMap { key in try APIKeySource.environment("K").resolve(model: model.id) { _ in key } }
        var events: [ModelEvent] = []
        for try await event in provider.events(ProviderCall(request: request, model: model, apiKey: apiKey)) {
            events.append(event)
        }
        return events
    }

    @Test func sendsIncludeUsageAndParsesCachedTokens() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        server.enqueue(.events(FakeWire.openAIEvents(["Hel", "lo"], promptTokens: 1200, completionTokens: 2, cachedTokens: 1024)))
        let model = fakeModel("gpt", server: server)
        let events = try await run(editRequest(), model: model)
        #expect(events == [
            .delta("Hel"), .delta("lo"),
            .usage(Usage(inputTokens: 1200, outputTokens: 2, cachedInputTokens: 1024, cacheCreationTokens: 0)),
            .done(.stop),
        ])
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.uri == "/v1/chat/completions")
        #expect(request.header("authorization") == "Bearer sk-test-openai")
        #expect(request.header("content-type") == "application/json")
        let body = try #require(request.jsonBody())
        #expect(body["stream"] as? Bool == true)
        #expect((body["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        #expect(body["model"] as? String == "gpt-upstream")
        #expect(body["max_tokens"] as? Int == 256)
        #expect(body["prediction"] == nil)
        let messages = try #require(body["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["system", "user", "user"])
        #expect(messages.last?["content"] as? String == "Rename foo to bar")
    }

    @Test func passesPredictionStopAndTemperature() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        server.enqueue(.events(FakeWire.openAIEvents(["x"], finishReason: "length")))
        var request = editRequest()
        request.prediction = "func bar() {}"
        request.stop = ["```"]
        request.temperature = 0.2
        let events = try await run(request, model: fakeModel("gpt", server: server), key: nil)
        #expect(events.last == .done(.length))
        let sent = try #require(server.requests.first)
        #expect(sent.header("authorization") == nil)
        let body = try #require(sent.jsonBody())
        let prediction = try #require(body["prediction"] as? [String: Any])
        #expect(prediction["type"] as? String == "content")
        #expect(prediction["content"] as? String == "func bar() {}")
        #expect(body["stop"] as? [String] == ["```"])
        #expect(body["temperature"] as? Double == 0.2)
    }

    @Test func streamWithoutUsageOrDoneStillFinishesOnFinishReason() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        var events = FakeWire.openAIEvents(["a"], includeUsage: false)
        events.removeLast()  // no [DONE]
        server.enqueue(.events(events))
        let received = try await run(editRequest(), model: fakeModel("gpt", server: server), key: nil)
        #expect(received == [.delta("a"), .done(.stop)])
    }

    @Test func errorChunkInTheStreamIsAnUpstreamError() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        server.enqueue(.events([FakeWire.event(#"{"error":{"message":"model overloaded","type":"server_error"}}"#)]))
        await #expect {
            _ = try await run(editRequest(), model: fakeModel("gpt", server: server), key: nil)
        } throws: { ($0 as? ModelError)?.kind == .upstreamError }
    }

    @Test func keepAliveCommentsAndCRLFAreAccepted() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        let events = FakeWire.openAIEvents(["a", "b"]).map { ": keep-alive\r\n" + $0.replacingOccurrences(of: "\n", with: "\r\n") }
        server.enqueue(.events(events))
        let received = try await run(editRequest(), model: fakeModel("gpt", server: server), key: nil)
        #expect(received.first == .delta("a"))
        #expect(received.last == .done(.stop))
    }
}
