import AidProtocol
import AidTestSupport
import Foundation
import JSONRPC
import Models
import ModelsTestSupport
import NIOHTTP1
import Testing

/// The daemon's local OpenAI-compatible endpoint, over real HTTP on 127.0.0.1.
@Suite struct ModelEndpointTests {
    private static let chatBody = #"{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"}]}]}"#

    /// A daemon whose endpoint serves on a free port, its base URL and token.
    private func startEndpoint(_ server: FakeModelServer) async throws -> (ModelDaemon, url: String, token: String) {
        let config = modelTable("m", server: server) + """
            [routes]
            chat = ["m"]
            edit = ["m"]

            \(testGatewayTable)endpoint_enabled = true
            endpoint_port = 0
            """
        let fixture = try ModelDaemon.start(config: config)
        let list = try await fixture.client.call(ModelsListRequest())
        let url = try #require(list.endpoint.url)
        let tokenFile = try #require(list.endpoint.tokenFile)
        #expect(tokenFile == fixture.daemon.paths.stateDirectory + "/endpoint-token")
        let attributes = try FileManager.default.attributesOfItem(atPath: tokenFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(url.hasPrefix("http://127.0.0.1:") && url.hasSuffix("/v1"))
        return (fixture, url, token)
    }

    @Test func theEndpointIsOffByDefault() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        let fixture = try ModelDaemon.start(config: modelTable("m", server: server) + "[routes]\nchat = [\"m\"]\n")
        defer { fixture.cleanUp() }
        let list = try await fixture.client.call(ModelsListRequest())
        #expect(list.endpoint == ModelEndpointInfo(enabled: false))
        #expect(!FileManager.default.fileExists(atPath: fixture.daemon.paths.stateDirectory + "/endpoint-token"))
        let log = try String(contentsOfFile: fixture.daemon.paths.logFile, encoding: .utf8)
        #expect(!log.contains("OpenAI-compatible endpoint on"))
    }

    @Test func chatCompletionsAnswersWholeAndStreamedWithTheToken() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        server.enqueue(.json(FakeWire.openAICompletion("Hello world", promptTokens: 7, completionTokens: 2)))
        server.enqueue(.events(FakeWire.openAIEvents(["Str", "eam", "ed"], promptTokens: 9, completionTokens: 3, cachedTokens: 4)))
        let (fixture, url, token) = try await startEndpoint(server)
        defer { fixture.cleanUp() }

        let whole = try await EndpointHTTP.send(url + "/chat/completions", method: .POST, token: token, body: Self.chatBody)
        #expect(whole.status == 200)
        #expect(whole.headers.first(name: "content-type") == "application/json")
        let json = try #require(whole.json)
        #expect(json["object"] == "chat.completion" && json["model"] == "m")
        #expect(json["id"]?.stringValue?.hasPrefix("chatcmpl-") == true)
        #expect(json["choices"]?.arrayValue?.first?["message"] == ["role": "assistant", "content": "Hello world", "refusal": nil])
        #expect(json["choices"]?.arrayValue?.first?["finish_reason"] == "stop")
        #expect(json["usage"]?["prompt_tokens"] == 7 && json["usage"]?["completion_tokens"] == 2 && json["usage"]?["total_tokens"] == 9)
        let upstream = try #require(server.requests.first?.jsonBody())
        // A whole answer is asked of the upstream whole.
        #expect(upstream["stream"] as? Bool == false)
        #expect(upstream["stream_options"] == nil)
        let messages = try #require(upstream["messages"] as? [[String: Any]])
        #expect(messages.count == 2 && messages[1]["content"] as? String == "Hi")

        let streamBody = #"{"model":"route:edit","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Go"}]}"#
        let streamed = try await EndpointHTTP.send(url + "/chat/completions", method: .POST, token: token, body: streamBody)
        #expect(streamed.status == 200)
        #expect(server.requests.last?.jsonBody()?["stream"] as? Bool == true)
        #expect(streamed.headers.first(name: "content-type") == "text/event-stream")
        let events = EndpointHTTP.events(streamed.body)
        #expect(events.last == "[DONE]")
        let chunks = try events.dropLast().map { try JSONParser.parse($0) }
        #expect(chunks.allSatisfy { $0["object"] == "chat.completion.chunk" && $0["model"] == "m" })
        #expect(Set(chunks.compactMap { $0["id"]?.stringValue }).count == 1, "one id for every chunk")
        #expect(chunks.first?["choices"]?.arrayValue?.first?["delta"] == ["role": "assistant", "content": ""])
        let text = chunks.compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }.joined()
        #expect(text == "Streamed")
        let finish = chunks.compactMap { $0["choices"]?.arrayValue?.first?["finish_reason"]?.stringValue }
        #expect(finish == ["stop"])
        let usage = try #require(chunks.last)
        #expect(usage["choices"] == [] && usage["usage"]?["prompt_tokens"] == 9 && usage["usage"]?["completion_tokens"] == 3)
        #expect(usage["usage"]?["prompt_tokens_details"]?["cached_tokens"] == 4)
        #expect(chunks.dropLast().allSatisfy { $0["usage"] == .null }, "include_usage: null usage on every other chunk")

        // Both requests went through the same records as models/complete.
        let report = try await fixture.client.call(MetricsSummaryRequest())
        #expect(report.groups.map(\.task).sorted() == ["chat", "edit"])
        #expect(report.groups.allSatisfy { $0.model == "m" && $0.count == 1 })
    }

    @Test func everyRequestNeedsTheBearerToken() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        let (fixture, url, token) = try await startEndpoint(server)
        defer { fixture.cleanUp() }
        let root = String(url.dropLast("/v1".count))
        for (path, method) in [("/v1/chat/completions", HTTPMethod.POST), ("/v1/models", .GET), ("/metrics", .GET)] {
            for offered in [nil, "wrong", String(token.dropLast()), token + "x"] {
                let response = try await EndpointHTTP.send(root + path, method: method, token: offered, body: method == .POST ? Self.chatBody : nil)
                #expect(response.status == 401, "\(path) with \(offered ?? "no token")")
                #expect(response.json?["error"]?["code"] == "invalid_api_key")
                #expect(response.headers.first(name: "www-authenticate") == "Bearer")
            }
        }
        #expect(server.requests.isEmpty, "no refused request reaches a model")
    }

    @Test func modelsAndMetricsAnswer() async throws {
        let server = try await FakeModelServer.start()
        defer { Task { await server.shutdown() } }
        server.enqueue(.events(FakeWire.openAIEvents(["ok"])))
        server.enqueue(.serverError())
        let (fixture, url, token) = try await startEndpoint(server)
        defer { fixture.cleanUp() }
        let root = String(url.dropLast("/v1".count))

        let models = try await EndpointHTTP.send(url + "/models", token: token)
        #expect(models.status == 200 && models.json?["object"] == "list")
        let ids = models.json?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(ids == ["m", "route:chat", "route:edit"])

        let answered = try await EndpointHTTP.send(url + "/chat/completions", method: .POST, token: token, body: Self.chatBody,
                                                    headers: [("X-Aid-Task", "describe")])
        #expect(answered.status == 200)
        let failed = try await EndpointHTTP.send(url + "/chat/completions", method: .POST, token: token, body: Self.chatBody)
        #expect(failed.status == 502 && failed.json?["error"]?["type"] == "api_error")
        #expect(failed.json?["error"]?["attempts"]?.arrayValue?.first?["httpStatus"] == 500)
        let unknown = try await EndpointHTTP.send(url + "/chat/completions", method: .POST, token: token,
                                                   body: #"{"model":"gpt-9","messages":[{"role":"user","content":"x"}]}"#)
        #expect(unknown.status == 404 && unknown.json?["error"]?["code"] == "model_not_found")

        let metrics = try await EndpointHTTP.send(root + "/metrics", token: token)
        #expect(metrics.status == 200)
        #expect(metrics.headers.first(name: "content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.body.contains("# TYPE aid_model_requests_total counter"))
        #expect(metrics.body.contains(#"aid_model_requests_total{via="http",task="describe",outcome="success"} 1"#))
        #expect(metrics.body.contains(#"aid_model_requests_total{via="http",task="chat",outcome="failure"} 1"#))
        #expect(metrics.body.contains(#"aid_model_errors_total{model="m",task="chat",error_class="server_error"} 1"#))
        #expect(metrics.body.contains(#"aid_model_time_to_first_token_seconds_count{model="m",task="describe"} 1"#))
        #expect(metrics.body.contains(#"aid_endpoint_requests_total{path="/v1/models",code="200"} 1"#))

        let missing = try await EndpointHTTP.send(root + "/v2/anything", token: token)
        #expect(missing.status == 404)
    }
}
