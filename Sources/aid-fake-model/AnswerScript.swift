import Foundation
import ModelsTestSupport

/// The answers file of `aid-fake-model` and how each request is answered from it.
struct AnswerScript: Sendable {
    let path: String
    let defaultChunkChars: Int
    let defaultDelayMs: Int

    /// One scripted answer.
    enum Answer {
        case stream(text: String, chunkChars: Int, delayMs: Int)
        case failure(status: Int, body: String, retryAfter: String?)
        case stallBeforeFirstToken
    }

    struct ScriptError: Error, CustomStringConvertible {
        let description: String
    }

    /// The answer for request number `index` (0-based): that element, or the last one.
    func answer(at index: Int) throws -> Answer {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ScriptError(description: "\(path): cannot read the answers file (\(error.localizedDescription))")
        }
        guard let list = try? JSONSerialization.jsonObject(with: data) as? [Any], !list.isEmpty else {
            throw ScriptError(description: "\(path): expected a non-empty JSON array of answers")
        }
        let element = list[min(index, list.count - 1)]
        if let text = element as? String { return .stream(text: text, chunkChars: defaultChunkChars, delayMs: defaultDelayMs) }
        guard let object = element as? [String: Any] else {
            throw ScriptError(description: "\(path): answer \(index) must be a string or an object")
        }
        if object["stallBeforeFirstToken"] as? Bool == true { return .stallBeforeFirstToken }
        if let status = object["status"] as? Int, status != 200 {
            return .failure(status: status, body: object["body"] as? String ?? #"{"error":{"message":"scripted failure"}}"#,
                            retryAfter: object["retryAfter"] as? String)
        }
        guard let text = object["text"] as? String else {
            throw ScriptError(description: "\(path): answer \(index) needs \"text\", \"status\" or \"stallBeforeFirstToken\"")
        }
        return .stream(text: text, chunkChars: max(1, object["chunkChars"] as? Int ?? defaultChunkChars),
                       delayMs: max(0, object["chunkDelayMs"] as? Int ?? defaultDelayMs))
    }

    /// The response to `request`, the last of `history`.
    func response(for request: RecordedRequest, history: [RecordedRequest]) -> FakeResponse {
        let path = request.uri.split(separator: "?").first.map(String.init) ?? request.uri
        if request.method == "GET" && path == "/v1/models" {
            return .status(200, body: FakeWire.json(["object": "list", "data": [["id": "fake", "object": "model", "owned_by": "aid"]]]))
        }
        if request.method == "GET" && path == "/requests" {
            let bodies = history.filter { $0.method == "POST" }.compactMap { $0.jsonBody() }
            return .status(200, body: FakeWire.json(bodies))
        }
        guard request.method == "POST", path.hasSuffix("/chat/completions") || path.hasSuffix("/messages") else {
            return .status(404, body: #"{"error":{"message":"no such endpoint"}}"#)
        }
        let index = history.filter { $0.method == "POST" }.count - 1
        let answer: Answer
        do { answer = try self.answer(at: max(0, index)) } catch {
            return .status(500, body: FakeWire.json(["error": ["message": "\(error)"]]))
        }
        let anthropic = path.hasSuffix("/messages")
        let streaming = request.jsonBody()?["stream"] as? Bool ?? false
        switch answer {
        case .stallBeforeFirstToken:
            return .stallBeforeFirstToken
        case .failure(let status, let body, let retryAfter):
            return .status(status, body: body, headers: retryAfter.map { [("retry-after", $0)] } ?? [])
        case .stream(let text, let chunkChars, let delayMs):
            let pieces = Self.chunks(text, size: chunkChars)
            if !streaming { return .status(200, body: Self.wholeAnswer(text, anthropic: anthropic)) }
            let events = anthropic
                ? FakeWire.anthropicEvents(pieces, outputTokens: pieces.count)
                : FakeWire.openAIEvents(pieces, completionTokens: pieces.count)
            var steps: [FakeResponse.Step] = []
            for event in events {
                if delayMs > 0 && !steps.isEmpty { steps.append(.pause(.milliseconds(delayMs))) }
                steps.append(FakeResponse.text(event))
            }
            return FakeResponse(status: 200, headers: [("content-type", "text/event-stream"), ("cache-control", "no-cache")], steps: steps)
        }
    }

    static func chunks(_ text: String, size: Int) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if current.count >= size { pieces.append(current); current = "" }
        }
        if !current.isEmpty || pieces.isEmpty { pieces.append(current) }
        return pieces
    }

    static func wholeAnswer(_ text: String, anthropic: Bool) -> String {
        if anthropic {
            return FakeWire.json([
                "id": "msg_fake", "type": "message", "role": "assistant", "model": "claude-fake",
                "content": [["type": "text", "text": text]], "stop_reason": "end_turn",
                "usage": ["input_tokens": 10, "output_tokens": 5],
            ])
        }
        return FakeWire.json([
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_700_000_000, "model": "fake",
            "choices": [["index": 0, "message": ["role": "assistant", "content": text], "finish_reason": "stop"]],
            "usage": ["prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15],
        ])
    }
}
