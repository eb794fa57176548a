import Foundation

/// An HTTP request the fake server received.
public struct RecordedRequest: Sendable, Hashable {
    /// One header line.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    /// The HTTP method (`POST`).
    public var method: String
    /// The path and query (`/v1/chat/completions`).
    public var uri: String
    /// The headers, in the order received.
    public var headers: [Header]
    /// The body bytes.
    public var body: [UInt8]

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object, or `nil`.
    public func jsonBody() -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    /// Every header and the body in one text, to search for things that must not be sent.
    public var fullText: String {
        "\(method) \(uri)\n" + headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + "\n\n" + bodyText
    }
}
