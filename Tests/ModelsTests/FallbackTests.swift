import Models
import ModelsTestSupport
import Testing

@Suite struct FallbackTests {
    @Test func chainMovesAlongTheRouteInOrder() async throws {
        let first = try await FakeModelServer.start()
        let third = try await FakeModelServer.start()
        first.enqueue(.serverError())
        third.enqueue(.events(FakeWire.anthropicEvents(["third ", "answers"])))
        var second = fakeModel("second", server: first)
        second.baseURL = try await closedPortURL() + "/v1"
        let records = ModelCallCollector()
        let gateway = makeGateway(
            [fakeModel("first", server: first), second, fakeModel("third", .anthropic, server: third)], observer: records)
        let result = await collect(gateway.stream(editRequest(), options: CallOptions(requestID: "chain")))
        #expect(result.error == nil)
        #expect(result.text == "third answers")
        #expect(result.startedModels == ["third"])
        #expect(result.events.last == .done(.stop))
        #expect(records.records.map(\.model) == ["first", "second", "third"])
        #expect(records.records.map(\.errorClass) == ["server_error", "connection", nil])
        #expect(records.records.map(\.fallbackIndex) == [0, 1, 2])
        #expect(records.records.allSatisfy { $0.requestID == "chain" && $0.route == "edit" })
        await first.shutdown()
        await third.shutdown()
    }

    @Test func exhaustedRouteReportsEveryFailure() async throws {
        let a = try await FakeModelServer.start()
        let b = try await FakeModelServer.start()
        a.enqueue(.serverError())
        b.enqueue(.htmlPage())
        let gateway = makeGateway([fakeModel("a", server: a), fakeModel("b", server: b)])
        let result = await collect(gateway.stream(editRequest(), options: CallOptions(requestID: "x")))
        let error = try #require(result.modelError)
        #expect(error.kind == .wrongContentType)
        #expect(error.message.contains("every model of route 'edit' failed (a: server_error, b: wrong_content_type)"))
        #expect(result.events.isEmpty)
        await a.shutdown()
        await b.shutdown()
    }

    @Test func unknownTaskUsesTheDefaultRouteAndMissingRouteIsAConfigurationError() async throws {
        let server = try await FakeModelServer.start()
        server.enqueue(.events(FakeWire.openAIEvents(["described"])))
        let model = fakeModel("m", server: server)
        let withDefault = ModelGateway(
            configuration: ModelsConfiguration(models: [model], routes: ["default": ["m"]], gateway: testSettings()),
            httpClient: TestHTTP.client, environment: testEnvironment())
        var request = editRequest()
        request.task = "describe"
        let result = try await withDefault.complete(request, options: CallOptions(requestID: "d"))
        #expect(result.text == "described")
        #expect(result.model == "m")
        #expect(try withDefault.plan(for: request, options: CallOptions(requestID: "d")).route == "default")

        let without = ModelGateway(
            configuration: ModelsConfiguration(models: [model], routes: ["edit": ["m"]], gateway: testSettings()),
            httpClient: TestHTTP.client, environment: testEnvironment())
        await #expect {
            _ = try await without.complete(request, options: CallOptions(requestID: "d"))
        } throws: { error in
            let error = error as? ModelError
            return error?.kind == .configuration && error?.message.contains("add routes.describe") == true
        }
        await server.shutdown()
    }

    @Test func missingKeyFallsBackAndSaysWhichVariable() async throws {
        let server = try await FakeModelServer.start()
        server.enqueue(.events(FakeWire.openAIEvents(["keyless"])))
        let records = ModelCallCollector()
        let gateway = makeGateway(
            [fakeModel("needs-key", server: server, keyVariable: "AID_TEST_UNSET_KEY"), fakeModel("local", server: server)],
            observer: records)
        let result = await collect(gateway.stream(editRequest(), options: CallOptions(requestID: "k")))
        #expect(result.text == "keyless")
        #expect(records.records.first?.errorClass == "missing_key")
        #expect(server.requests.count == 1)
        await server.shutdown()
    }

    @Test func completeCollectsTheAnswerAfterARestart() async throws {
        let a = try await FakeModelServer.start()
        let b = try await FakeModelServer.start()
        a.enqueue(.events(FakeWire.openAIEvents(["lost ", "text"]), breakAfter: 2))
        b.enqueue(.events(FakeWire.openAIEvents(["kept"], cachedTokens: 0)))
        let gateway = makeGateway([fakeModel("a", server: a), fakeModel("b", server: b)])
        let result = try await gateway.complete(editRequest(), options: CallOptions(requestID: "c", onMidStreamFailure: .restartOnFallback))
        #expect(result.text == "kept")
        #expect(result.model == "b")
        #expect(result.usage?.inputTokens == 10)
        await a.shutdown()
        await b.shutdown()
    }
}
