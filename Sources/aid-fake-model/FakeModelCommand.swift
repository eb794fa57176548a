import ArgumentParser
import Foundation
import ModelsTestSupport

/// `aid-fake-model`: a model server on 127.0.0.1 that speaks the OpenAI Chat Completions and
/// Anthropic Messages wire formats with scripted answers, for the editor clients' end-to-end tests
/// and for trying Aid without a model. It is the same fake the Swift tests use.
@main
struct FakeModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aid-fake-model",
        abstract: "Serve scripted model answers on 127.0.0.1 in the OpenAI and Anthropic wire formats.",
        discussion: """
            ANSWERS is a JSON array. Request N (counting from 0) gets element N; once they run out, the
            last one answers every further request. The file is read again at every request, so a test
            may rewrite it between steps. An element is either a string (the answer's text) or an object:
              {"text": "...", "chunkChars": 8, "chunkDelayMs": 20}   a streamed answer
              {"status": 500, "body": "..."}                        a failure (429 and 503 take "retryAfter")
              {"stallBeforeFirstToken": true}                        headers, then nothing
            POST /v1/chat/completions answers in the OpenAI format (SSE when "stream" is true), POST
            /v1/messages in the Anthropic format; GET /v1/models lists one model; GET /requests returns
            the request bodies received so far as a JSON array. The port is printed on stdout as
            "listening on http://127.0.0.1:PORT" and, with --port-file, written to that file.
            """)

    @Option(help: "The JSON file of answers (see below).")
    var answers: String

    @Option(help: "The TCP port (0: any free port).")
    var port: Int = 0

    @Option(help: "Write the port to this file once listening.")
    var portFile: String?

    @Option(help: "Characters per streamed chunk, unless the answer sets its own.")
    var chunkChars: Int = 12

    @Option(help: "Milliseconds between streamed chunks, unless the answer sets its own.")
    var chunkDelayMs: Int = 0

    @Option(help: "Exit after this many seconds, so a forgotten server does not live on.")
    var lifetimeSeconds: Int = 900

    mutating func run() async throws {
        let script = AnswerScript(path: answers, defaultChunkChars: max(1, chunkChars), defaultDelayMs: max(0, chunkDelayMs))
        _ = try script.answer(at: 0)  // fail early on a missing or malformed file
        let server = try await FakeModelServer.start(port: port)
        server.respond { request in script.response(for: request, history: server.requests) }
        if let portFile { try "\(server.port)\n".write(toFile: portFile, atomically: true, encoding: .utf8) }
        FileHandle.standardOutput.write(Data("listening on \(server.baseURL)\n".utf8))
        try? await Task.sleep(for: .seconds(lifetimeSeconds))
        await server.shutdown()
    }
}
