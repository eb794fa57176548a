import AidProtocol
import AidTestSupport
import Foundation
import JSONRPC
import Models
import ModelsTestSupport
import Testing

/// `models/list`, `models/complete` and `metrics/summary` through a real daemon whose models
/// are fake servers on 127.0.0.1.
@Suite struct ModelRPCTests {
    private let hello = [ModelMessage(role: "system", content: "You are terse."), ModelMessage(role: "user", content: "Say hello.")]

    @Test func modelsListShowsModelsRoutesAndExperimentsButNoKey() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        let key = "sk-test-listing-0123456789abcdef"
        let config = modelTable("fast", server: server, keyVariable: "AID_TEST_LIST_KEY",
                                extra: "context_window = 32000\nprice = { input = 2.5, output = 10.0, cached_input = 1.25 }")
            + modelTable("careful", server: server, provider: .anthropic, keyVariable: "AID_TEST_LIST_KEY")
            + """
            [routes]
            chat = ["fast", "careful"]
            edit = ["careful"]

            [experiments.edit-model]
            tasks = ["edit"]
            arms.control = { weight = 50 }
            arms.fast = { weight = 50, model = "fast", strategy = "whole-file" }
            """
        let fixture = try ModelDaemon.start(config: config, environment: ["AID_TEST_LIST_KEY": key])
        defer { fixture.cleanUp() }
        let list = try await fixture.client.call(ModelsListRequest())
        #expect(list.problems.isEmpty)
        #expect(list.models.map(\.id) == ["careful", "fast"])
        let fast = try #require(list.models.first { $0.id == "fast" })
        #expect(fast.provider == "openai" && fast.upstreamModel == "fast-upstream" && fast.contextWindow == 32000)
        #expect(fast.prices == ModelPrices(input: 2.5, output: 10, cachedInput: 1.25, cacheWrite: 2.5))
        #expect(fast.keySource == "env:AID_TEST_LIST_KEY" && fast.circuit == "closed")
        #expect(list.routes == [ModelRoute(task: "chat", models: ["fast", "careful"]), ModelRoute(task: "edit", models: ["careful"])])
        let experiment = try #require(list.experiments.first)
        #expect(experiment.name == "edit-model" && experiment.control == "control" && experiment.tasks == ["edit"])
        #expect(experiment.arms.map(\.name) == ["control", "fast"])
        #expect(experiment.assignedArm != nil)
        #expect(list.endpoint == ModelEndpointInfo(enabled: false))
        let raw = JSONWriter.string(try await fixture.client.call("models/list"))
        #expect(!raw.contains(key) && !raw.contains("0123456789abcdef"))
    }

    @Test func completeStreamsDeltasToTheRequestingClientOnlyAndReturnsUsage() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        server.enqueue(.events(FakeWire.openAIEvents(["Hel", "lo", " there"], promptTokens: 21, completionTokens: 3, cachedTokens: 16)))
        let config = modelTable("m", server: server, keyVariable: "AID_TEST_STREAM_KEY") + "[routes]\nchat = [\"m\"]\n" + testGatewayTable
        let fixture = try ModelDaemon.start(config: config, environment: ["AID_TEST_STREAM_KEY": "sk-test-stream-key-000111222333"])
        defer { fixture.cleanUp() }
        let inbox = NotificationInbox(fixture.client)
        let other = try fixture.daemon.connect(clientName: "bystander")
        defer { other.close() }
        let bystander = NotificationInbox(other)

        let result = try await fixture.client.call(ModelsCompleteRequest(messages: hello, maxTokens: 50, streamToken: "s-1"))
        #expect(result.text == "Hello there")
        #expect(inbox.deltas(token: "s-1") == ["Hel", "lo", " there"], "every delta arrives before the result, in order")
        #expect(result.model == "m" && result.provider == "openai" && result.attempts == 1 && result.finishReason == "stop")
        #expect(result.usage == ModelUsage(inputTokens: 21, outputTokens: 3, cachedInputTokens: 16))
        #expect(result.timings.firstTokenMs != nil && result.timings.totalMs >= (result.timings.firstTokenMs ?? 0))
        // A round trip on the other connection: anything sent to it before would have arrived.
        _ = try await other.call(DaemonStatusRequest())
        #expect(bystander.allDeltas == 0)

        let upstream = try #require(server.requests.first)
        #expect(upstream.uri == "/v1/chat/completions")
        #expect(upstream.header("authorization") == "Bearer sk-test-stream-key-000111222333")
        #expect(upstream.jsonBody()?["model"] as? String == "m-upstream")
        #expect(upstream.jsonBody()?["max_tokens"] as? Int == 50)

        // Without streaming, no deltas, and the upstream call is not streamed either.
        server.enqueue(.json(FakeWire.openAICompletion("quiet", promptTokens: 8, completionTokens: 1, cachedTokens: 6)))
        let before = inbox.allDeltas
        let quiet = try await fixture.client.call(ModelsCompleteRequest(messages: hello, stream: false))
        #expect(quiet.text == "quiet" && inbox.allDeltas == before)
        #expect(quiet.usage.cachedInputTokens == 6)
        #expect(quiet.timings.firstTokenMs != nil, "the whole answer is the first token")
        #expect(server.requests.last?.jsonBody()?["stream"] as? Bool == false)
    }

    @Test func fallsBackToTheSecondModelWhenTheFirstAnswers500AndCountsBoth() async throws {
        let first = try await FakeModelServer.start()
        let second = try await FakeModelServer.start()
        defer { Task { await first.shutdown(); await second.shutdown() } }
        first.enqueue(.serverError("upstream exploded"))
        second.enqueue(.events(FakeWire.anthropicEvents(["from ", "the second"], inputTokens: 30, outputTokens: 4)))
        let config = modelTable("primary", server: first)
            + modelTable("backup", server: second, provider: .anthropic, keyVariable: "AID_TEST_FALLBACK_KEY")
            + "[routes]\nedit = [\"primary\", \"backup\"]\n" + testGatewayTable
        let fixture = try ModelDaemon.start(config: config, environment: ["AID_TEST_FALLBACK_KEY": "sk-ant-test-fallback-9876543210"])
        defer { fixture.cleanUp() }

        let result = try await fixture.client.call(ModelsCompleteRequest(task: "edit", messages: hello))
        #expect(result.text == "from the second")
        #expect(result.model == "backup" && result.provider == "anthropic" && result.attempts == 2)
        #expect(result.usage.inputTokens == 30 && result.usage.outputTokens == 4)

        let report = try await fixture.client.call(MetricsSummaryRequest())
        let primary = try #require(report.groups.first { $0.model == "primary" })
        let backup = try #require(report.groups.first { $0.model == "backup" })
        #expect(primary.task == "edit" && primary.count == 1 && primary.errors == 1 && primary.errorRate == 1)
        #expect(backup.count == 1 && backup.errors == 0 && backup.inputTokens == 30 && backup.totalMs != nil && backup.ttftMs != nil)
        #expect(try await fixture.client.call(MetricsSummaryRequest(task: "chat")).groups.isEmpty)
        #expect(try await fixture.client.call(MetricsSummaryRequest(since: "1h", task: "edit")).groups.count == 2)

        // The same through the command line.
        let metrics = try await offload { try fixture.daemon.run(["metrics", "--since", "1h"]) }
        #expect(metrics.status == 0)
        #expect(metrics.stdout.contains("primary") && metrics.stdout.contains("backup") && metrics.stdout.contains("100.0%"), "\(metrics.stdout)")
        let models = try await offload { try fixture.daemon.run(["models"]) }
        #expect(models.status == 0)
        #expect(models.stdout.contains("edit  primary -> backup") && models.stdout.contains("env:AID_TEST_FALLBACK_KEY"), "\(models.stdout)")
        #expect(!models.stdout.contains("sk-ant-test"))
        let json = try await offload { try fixture.daemon.run(["models", "--json"]) }
        #expect(try JSONParser.parse(json.stdout)["routes"]?.arrayValue?.count == 1)
        #expect(try await offload { try fixture.daemon.run(["metrics", "--since", "yesterday"]) }.status != 0)
    }

    @Test func aRouteWhoseEveryModelFailsAnswersModelUnavailableWithEachAttempt() async throws {
        let first = try await FakeModelServer.start()
        let second = try await FakeModelServer.start()
        defer { Task { await first.shutdown(); await second.shutdown() } }
        first.enqueue(.serverError())
        second.enqueue(.status(404, body: #"{"error":{"message":"The model does not exist"}}"#))
        let config = modelTable("a", server: first) + modelTable("b", server: second) + "[routes]\ndefault = [\"a\", \"b\"]\n" + testGatewayTable
        let fixture = try ModelDaemon.start(config: config)
        defer { fixture.cleanUp() }
        do {
            _ = try await fixture.client.call(ModelsCompleteRequest(task: "describe", messages: hello))
            Issue.record("expected an error")
        } catch RPCClientError.response(let error) {
            #expect(error.code == .modelUnavailable)
            #expect(error.message.contains("every model of route 'default' failed"))
            let attempts = try #require(error.data?["attempts"]?.arrayValue)
            #expect(attempts.map { $0["model"] } == ["a", "b"])
            #expect(attempts.map { $0["httpStatus"] } == [500, 404])
            #expect(attempts.map { $0["error"] } == ["server_error", "not_found"])
            #expect(attempts[1]["message"]?.stringValue?.contains("base_url") == true)
        }
        // Bad params are refused before any call, naming the field.
        do {
            _ = try await fixture.client.call(ModelsCompleteRequest(messages: [ModelMessage(role: "robot", content: "hi")]))
            Issue.record("expected an error")
        } catch RPCClientError.response(let error) {
            #expect(error.code == .invalidParams && error.message.contains("params.messages[0].role"))
        }
        do {
            _ = try await fixture.client.call(ModelsCompleteRequest(messages: hello, model: "nope"))
            Issue.record("expected an error")
        } catch RPCClientError.response(let error) {
            #expect(error.code == .invalidParams && error.message.contains("'nope'"))
        }
        #expect(first.requests.count == 1 && second.requests.count == 1)
    }

    @Test func cancelRequestClosesTheUpstreamStream() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        // Two tokens, then the server holds the stream open: an answer in progress.
        server.enqueue(.events(FakeWire.openAIEvents(["first ", "second"]), stallAfter: 2))
        let config = modelTable("slow", server: server) + "[routes]\nchat = [\"slow\"]\n" + testGatewayTable
        let fixture = try ModelDaemon.start(config: config)
        defer { fixture.cleanUp() }
        let inbox = NotificationInbox(fixture.client)
        let answered = Slot<Result<JSONValue, RPCClientError>>()
        let params = try JSONCoding.jsonValue(ModelsCompleteRequest(messages: hello, streamToken: "c"))
        let id = fixture.client.send(method: ModelsCompleteRequest.method, params: params) { answered.set($0) }
        #expect(await inbox.waitForDeltas(1, token: "c"))
        try await cancelAndExpectUpstreamClosed(id, fixture: fixture, server: server, answered: answered)
        let report = try await fixture.client.call(MetricsSummaryRequest())
        #expect(report.groups.first?.count == 1)
    }

    /// Cancels request `id`, then expects the upstream connection closed and the request
    /// answered -32800.
    private func cancelAndExpectUpstreamClosed(_ id: Int, fixture: ModelDaemon, server: FakeModelServer,
                                               answered: Slot<Result<JSONValue, RPCClientError>>) async throws {
        fixture.client.cancel(id: id)
        #expect(await server.waitForAbandonedResponses(1, timeout: .seconds(10)), "the daemon closes the upstream connection")
        _ = try await fixture.client.call(DaemonStatusRequest())
        let result = answered.current
        if case .failure(.response(let error))? = result {
            #expect(error.code == .requestCancelled)
        } else {
            Issue.record("expected -32800, got \(String(describing: result))")
        }
    }

    @Test func cancelRequestClosesANonStreamedUpstreamCall() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        server.enqueue(.silent)  // the whole answer never comes
        let config = modelTable("slow", server: server) + "[routes]\nchat = [\"slow\"]\n" + testGatewayTable
        let fixture = try ModelDaemon.start(config: config)
        defer { fixture.cleanUp() }
        let answered = Slot<Result<JSONValue, RPCClientError>>()
        let params = try JSONCoding.jsonValue(ModelsCompleteRequest(messages: hello, stream: false))
        let id = fixture.client.send(method: ModelsCompleteRequest.method, params: params) { answered.set($0) }
        #expect(await server.waitForRequests(1))
        #expect(server.requests.first?.jsonBody()?["stream"] as? Bool == false)
        try await cancelAndExpectUpstreamClosed(id, fixture: fixture, server: server, answered: answered)
    }

    @Test func invalidModelsConfigurationLeavesTheDaemonRunningWithoutModels() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        let config = """
            [daemon]
            log_level = "debug"

            \(modelTable("real", server: server))
            [routes]
            chat = ["real", "imaginary"]
            """
        let fixture = try ModelDaemon.start(config: config)
        defer { fixture.cleanUp() }
        let status = try await fixture.client.call(DaemonStatusRequest())
        let problem = try #require(status.configErrors.first)
        #expect(problem.contains("config.toml:10: 'routes.chat.1': no model 'imaginary' is configured"), "\(problem)")
        let list = try await fixture.client.call(ModelsListRequest())
        #expect(list.models.isEmpty && list.problems == status.configErrors)
        do {
            _ = try await fixture.client.call(ModelsCompleteRequest(messages: hello))
            Issue.record("expected an error")
        } catch RPCClientError.response(let error) {
            #expect(error.code == .configInvalid && error.message.contains("aid config check"))
        }
        let check = try fixture.daemon.run(["config", "check"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("config.toml:10: 'routes.chat.1': no model 'imaginary'"), "\(check.stdout)")
        #expect(server.requests.isEmpty)
    }
}
