import AidProtocol
import AidTestSupport
import Foundation
import JSONRPC
import Models
import ModelsTestSupport
import Testing

/// A real-looking key, given to the daemon in an environment variable, reaches its provider and
/// nothing else: not the log (at debug level), not the database, not the answers.
@Suite struct ModelSecretsTests {
    @Test func theKeyIsInNoLogNoRecordAndNoAnswer() async throws {
        let secretPart = (0..<24).map { _ in String("abcdefghijklmnopqrstuvwxyz0123456789".randomElement()!) }.joined()
        let key = "sk-test-" + secretPart
        let server = try await FakeModelServer.start()
        let backup = try await FakeModelServer.start()
        defer { Task { await server.shutdown(); await backup.shutdown() } }
        // The provider refuses the key and quotes it back, as some do.
        let refusal = FakeResponse.status(401, body: #"{"error":{"message":"Incorrect API key provided: \#(key). Find your key at the dashboard.","type":"invalid_request_error"}}"#)
        server.enqueue(refusal, refusal)
        backup.enqueue(.events(FakeWire.openAIEvents(["fine"])))
        let config = """
            [daemon]
            log_level = "trace"

            \(modelTable("keyed", server: server, keyVariable: "AID_TEST_SECRET_KEY"))
            \(modelTable("local", server: backup))
            [routes]
            chat = ["keyed", "local"]

            \(testGatewayTable)endpoint_enabled = true
            endpoint_port = 0
            """
        let fixture = try ModelDaemon.start(config: config, environment: ["AID_TEST_SECRET_KEY": key])
        defer { fixture.cleanUp() }
        var answers: [String] = []
        do {
            // A fallback past the refusal, and a forced call that fails with the provider's words.
            let answered = try await fixture.client.call(ModelsCompleteRequest(messages: [ModelMessage(role: "user", content: "hi")]))
            #expect(answered.text == "fine" && answered.attempts == 2)
            answers.append(JSONWriter.string(try JSONCoding.jsonValue(answered)))
            do {
                _ = try await fixture.client.call(ModelsCompleteRequest(messages: [ModelMessage(role: "user", content: "hi")], model: "keyed"))
                Issue.record("expected an error")
            } catch RPCClientError.response(let error) {
                #expect(error.code == .modelUnavailable)
                #expect(error.message.contains("refused the key"))
                answers.append(JSONWriter.string(error.jsonValue))
            }
            answers.append(JSONWriter.string(try await fixture.client.call("models/list")))
            answers.append(JSONWriter.string(try await fixture.client.call("daemon/status")))
            answers.append(JSONWriter.string(try await fixture.client.call("metrics/summary")))
        }
        _ = try await fixture.client.call(DaemonShutdownRequest(drainTimeoutMs: 2000))
        try await offload { try waitUntil("the daemon exits", timeout: .seconds(20)) { fixture.daemon.lockHolder == nil } }
        // The key did go to its provider.
        #expect(server.requests.count == 2)
        #expect(server.requests.allSatisfy { $0.header("authorization") == "Bearer \(key)" })
        #expect(backup.requests.allSatisfy { $0.header("authorization") == nil })

        // The daemon has stored every record and exited: search every file it keeps.
        let state = fixture.daemon.paths.stateDirectory
        let files = try FileManager.default.contentsOfDirectory(atPath: state)
        #expect(files.contains("aid.log") && files.contains("aid.sqlite"))
        var searched = 0
        for name in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: state + "/" + name))
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains(secretPart), "\(name) holds the key")
            #expect(!text.contains(String(secretPart.prefix(12))) && !text.contains(String(secretPart.suffix(12))), "\(name) holds part of the key")
            searched += data.count
        }
        #expect(searched > 0)
        let log = try String(contentsOfFile: state + "/aid.log", encoding: .utf8)
        #expect(log.contains("model call failed"), "the failure was logged, without the key")
        for answer in answers {
            #expect(!answer.contains(secretPart))
        }
    }
}
