import Foundation

/// Recorded answers in a directory, one JSON file per request, named by the SHA-256 of the
/// request's canonical form.
///
/// The canonical form holds only the model-independent fields that decide the answer:
/// - `messages`: for each message in order, its `role` and `content` (not its `stable` flag,
///   which only guides caching);
/// - `task`;
/// - `strategy`, when the request has one (left out when `nil`).
/// It leaves out the model, `maxTokens`, `temperature`, `stop` and `prediction`. It is encoded as
/// JSON with keys sorted, no whitespace and slashes unescaped; its hash is lowercase hex.
///
/// **Fallback recording.** A request without its own recording is answered from
/// `fallback.json` in the same directory when that file exists (same format; its `request` is
/// not compared). It serves demos and tests whose prompts vary from machine to machine (the
/// context a daemon gathers depends on installed tools and paths), where one scripted answer is
/// wanted whatever the exact prompt. Without that file, a missing recording is an error as before.
public struct ReplayStore: Sendable {
    /// The canonical form of a request.
    public struct CanonicalRequest: Codable, Sendable, Hashable {
        public struct Message: Codable, Sendable, Hashable {
            public var role: String
            public var content: String
        }
        public var messages: [Message]
        public var task: String
        public var strategy: String?

        public init(_ request: ChatRequest) {
            messages = request.messages.map { Message(role: $0.role.rawValue, content: $0.content) }
            task = request.task
            strategy = request.strategy
        }
    }

    /// One recorded event; exactly one field is set.
    struct RecordedEvent: Codable {
        var delta: String?
        var usage: Usage?
        var done: String?
    }

    /// The content of a recording file.
    struct Recording: Codable {
        var format: Int
        var request: CanonicalRequest
        var events: [RecordedEvent]
    }

    /// The directory holding the recordings.
    public let directory: URL

    public init(directory: String) {
        self.directory = URL(fileURLWithPath: (directory as NSString).expandingTildeInPath, isDirectory: true)
    }

    /// The canonical JSON of `request`.
    public static func canonicalJSON(_ request: ChatRequest) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and arrays cannot fail.
        return (try? encoder.encode(CanonicalRequest(request))) ?? Data()
    }

    /// The replay key of `request`: the SHA-256 of its canonical JSON, in hex.
    public static func key(for request: ChatRequest) -> String {
        SHA256Digest.hash(canonicalJSON(request)).hex
    }

    /// The file recording the answer to `request`.
    public func fileURL(for request: ChatRequest) -> URL {
        directory.appendingPathComponent(Self.key(for: request) + ".json")
    }

    /// The name of the recording that answers requests without their own.
    public static let fallbackFileName = "fallback.json"

    /// The fallback recording's file.
    public var fallbackFileURL: URL {
        directory.appendingPathComponent(Self.fallbackFileName)
    }

    /// The recorded answer to `request` (its own recording, else the fallback recording), or
    /// `nil` when there is none.
    public func load(_ request: ChatRequest) throws -> [ModelEvent]? {
        var url = fileURL(for: request)
        if !FileManager.default.fileExists(atPath: url.path) { url = fallbackFileURL }
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let recording: Recording
        do {
            recording = try JSONDecoder().decode(Recording.self, from: data)
        } catch {
            throw ModelError(.malformedResponse, "the recording \(url.path) is not a valid replay file (\(error)); delete it and record again")
        }
        return try recording.events.map { recorded in
            if let text = recorded.delta { return .delta(text) }
            if let usage = recorded.usage { return .usage(usage) }
            if let done = recorded.done { return .done(FinishReason(name: done)) }
            throw ModelError(.malformedResponse, "the recording \(url.path) has an empty event; delete it and record again")
        }
    }

    /// Records `events` as the answer to every request that has no recording of its own
    /// (see "Fallback recording" above), replacing any earlier fallback.
    public func saveFallback(events: [ModelEvent]) throws {
        try write(ChatRequest(messages: [], task: "any"), events: events, to: fallbackFileURL)
    }

    /// Records `events` as the answer to `request`, replacing any earlier recording.
    public func save(_ request: ChatRequest, events: [ModelEvent]) throws {
        try write(request, events: events, to: fileURL(for: request))
    }

    private func write(_ request: ChatRequest, events: [ModelEvent], to url: URL) throws {
        let recorded = events.map { event -> RecordedEvent in
            switch event {
            case .delta(let text): return RecordedEvent(delta: text)
            case .usage(let usage): return RecordedEvent(usage: usage)
            case .done(let reason): return RecordedEvent(done: reason.name)
            }
        }
        let recording = Recording(format: 1, request: CanonicalRequest(request), events: recorded)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        let data = try encoder.encode(recording)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }
}
