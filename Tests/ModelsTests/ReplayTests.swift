import Foundation
import Models
import ModelsTestSupport
import Testing

@Suite struct ReplayTests {
    private func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("aid-replay-\(UUID().uuidString)").path
    }

    @Test func recordedAnswerReplaysTheSameBytes() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try await FakeModelServer.start()
        let pieces = ["Hé", "llo, ", "wörld 🌍", "\n\"quoted\" \\ back\\slash", "\u{0}end"]
        server.enqueue(.events(FakeWire.openAIEvents(pieces, promptTokens: 40, completionTokens: 9, cachedTokens: 32)))
        let live = makeGateway([fakeModel("live", server: server)], recorder: ReplayStore(directory: directory))
        let recorded = await collect(live.stream(editRequest(), options: CallOptions(requestID: "rec")))
        #expect(recorded.error == nil)

        let replayModel = ModelDefinition(id: "replayed", provider: .replay, replayDirectory: directory)
        let replay = makeGateway([replayModel])
        var request = editRequest()
        // Fields outside the canonical form do not change the key.
        request.temperature = 0.9
        request.maxTokens = 5
        request.messages[1].stable = false
        let replayed = await collect(replay.stream(request, options: CallOptions(requestID: "play")))
        #expect(replayed.error == nil)
        #expect(Array(replayed.text.utf8) == Array(pieces.joined().utf8))
        #expect(Array(replayed.text.utf8) == Array(recorded.text.utf8))
        #expect(replayed.events.dropFirst() == recorded.events.dropFirst())
        #expect(replayed.events.first == .started(model: "replayed", provider: .replay, attempt: 1))
        #expect(server.requests.count == 1)
        await server.shutdown()
    }

    @Test func canonicalFormAndKeyAreDocumentedFields() {
        let request = ChatRequest(messages: [.system("S"), .user("U/1")], task: "edit", temperature: 1, strategy: "diff")
        let json = String(decoding: ReplayStore.canonicalJSON(request), as: UTF8.self)
        #expect(json == #"{"messages":[{"content":"S","role":"system"},{"content":"U/1","role":"user"}],"strategy":"diff","task":"edit"}"#)
        var noStrategy = request
        noStrategy.strategy = nil
        #expect(String(decoding: ReplayStore.canonicalJSON(noStrategy), as: UTF8.self) == #"{"messages":[{"content":"S","role":"system"},{"content":"U/1","role":"user"}],"task":"edit"}"#)
        #expect(ReplayStore.key(for: request) == SHA256Digest.hash(ReplayStore.canonicalJSON(request)).hex)
        #expect(ReplayStore.key(for: request) != ReplayStore.key(for: noStrategy))
        var otherTask = request
        otherTask.task = "chat"
        #expect(ReplayStore.key(for: request) != ReplayStore.key(for: otherTask))
    }

    @Test func missingRecordingSaysWhatToDo() async throws {
        let directory = temporaryDirectory()
        let gateway = makeGateway([ModelDefinition(id: "r", provider: .replay, replayDirectory: directory)])
        let result = await collect(gateway.stream(editRequest(), options: CallOptions(requestID: "m")))
        let error = try #require(result.modelError)
        #expect(error.kind == .replayMissing)
        #expect(error.message.contains(ReplayStore.key(for: editRequest())))
    }

    @Test func storeRoundTripsEveryEvent() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ReplayStore(directory: directory)
        let events: [ModelEvent] = [.delta("a"), .delta("b"), .usage(Usage(inputTokens: 3, outputTokens: 2, cachedInputTokens: 1, cacheCreationTokens: 1)), .done(.other("pause_turn"))]
        try store.save(editRequest(), events: events)
        #expect(try store.load(editRequest()) == events)
        #expect(try store.load(editRequest("other")) == nil)
    }
}
