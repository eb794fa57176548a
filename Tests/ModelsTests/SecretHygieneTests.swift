import Foundation
import Models
import ModelsTestSupport
import Testing

/// A real-looking key must reach its provider's header and nothing else: not logs, not records,
/// not errors, not other providers.
@Suite struct SecretHygieneTests {
    static let openAIKey = "sk-test-9fQ2xL7mR4vT1bN8cK3jH6gD0sA5pW"
    static let anthropicKey = "sk-ant-test-Xy7Qm2Nv9Lk4Jh1Gf6Dc3Sa8Pz0Rw5T"

    private func assertNoKey(in text: String, _ comment: Comment) {
        for key in [Self.openAIKey, Self.anthropicKey] {
            #expect(!text.contains(key), comment)
            #expect(!text.contains(String(key.suffix(8))), comment)
        }
    }

    @Test func keysAppearInNeitherLogsNorRecordsNorErrors() async throws {
        let openAI = try await FakeModelServer.start()
        let anthropic = try await FakeModelServer.start()
        let log = LogCapture()
        let records = ModelCallCollector()
        let variables = ["OPENAI_API_KEY": Self.openAIKey, "ANTHROPIC_API_KEY": Self.anthropicKey]
        let gateway = makeGateway(
            [
                fakeModel("gpt", server: openAI, keyVariable: "OPENAI_API_KEY"),
                fakeModel("claude", .anthropic, server: anthropic, keyVariable: "ANTHROPIC_API_KEY"),
            ],
            observer: records, environment: testEnvironment(variables: variables), logCapture: log)

        // A 401 whose message quotes part of the key (as OpenAI's does), then success on Anthropic.
        let masked = "sk-test-****" + String(Self.openAIKey.suffix(8))
        openAI.enqueue(.status(401, body: #"{"error":{"message":"Incorrect API key provided: \#(masked). You can find your API key at the dashboard."}}"#))
        anthropic.enqueue(.events(FakeWire.anthropicEvents(["fine"])))
        let first = await collect(gateway.stream(editRequest(), options: CallOptions(requestID: "a")))
        #expect(first.text == "fine")

        // A failure that ends the request, with its error message.
        openAI.enqueue(.status(400, body: #"{"error":{"message":"bad key \#(Self.openAIKey)"}}"#))
        let second = await collect(gateway.stream(editRequest(), options: CallOptions(requestID: "b")))
        let error = try #require(second.modelError)
        assertNoKey(in: error.description, "error")
        #expect(error.message.contains("<redacted>"))

        // A 500, then a stream that breaks after its first token.
        openAI.enqueue(.serverError())
        anthropic.enqueue(.events(FakeWire.anthropicEvents(["x", "y"]), breakAfter: 4))
        _ = await collect(gateway.stream(editRequest(), options: CallOptions(requestID: "c")))

        // A timeout, through a gateway whose OpenAI model gives up quickly.
        let impatient = makeGateway(
            [fakeModel("gpt", server: openAI, keyVariable: "OPENAI_API_KEY", firstToken: .milliseconds(300))],
            observer: records, environment: testEnvironment(variables: variables), logCapture: log)
        openAI.enqueue(.stallBeforeFirstToken)
        let timedOut = await collect(impatient.stream(editRequest(), options: CallOptions(requestID: "d")))
        #expect(timedOut.modelError?.kind == .firstTokenTimeout)

        #expect(!log.entries.isEmpty)
        assertNoKey(in: log.text, "log")
        #expect(records.records.count >= 6)
        assertNoKey(in: records.records.map { String(reflecting: $0) }.joined(separator: "\n"), "records")

        // Each key went to its own provider's header only.
        for request in openAI.requests {
            #expect(request.header("authorization") == "Bearer \(Self.openAIKey)")
            #expect(!request.bodyText.contains(Self.openAIKey))
            #expect(!request.fullText.contains(Self.anthropicKey))
        }
        for request in anthropic.requests {
            #expect(request.header("x-api-key") == Self.anthropicKey)
            #expect(!request.bodyText.contains(Self.anthropicKey))
            #expect(!request.fullText.contains(Self.openAIKey))
        }
        await openAI.shutdown()
        await anthropic.shutdown()
    }

    @Test func aKeyPrintsAsRedacted() throws {
        let key = try #require(try APIKeySource.environment("K").resolve(model: "m") { _ in Self.openAIKey })
        #expect("\(key)" == "<redacted>")
        #expect(String(reflecting: key) == "<redacted>")
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains(Self.openAIKey))
    }

    @Test func keyFromAFileIsTrimmedAndErrorsNameTheSource() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aid-key-\(UUID().uuidString)").path
        try (Self.openAIKey + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let key = try APIKeySource.file(path).resolve(model: "m") { _ in nil }
        #expect(key != nil)
        #expect(throws: ModelError.self) { try APIKeySource.file(path + ".missing").resolve(model: "m") { _ in nil } }
        do {
            _ = try APIKeySource.environment("AID_NOPE").resolve(model: "m") { _ in nil }
        } catch let error as ModelError {
            #expect(error.kind == .missingKey)
            #expect(error.message.contains("AID_NOPE"))
        }
    }
}
