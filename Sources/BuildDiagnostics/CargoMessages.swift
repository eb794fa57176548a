// The subset of Cargo's and rustc's JSON message formats that CargoParser
// reads. Property names are the camelCase forms of the snake_case JSON keys
// (decoded with `.convertFromSnakeCase`).

struct CargoRecord: Decodable {
    var reason: String
    var manifestPath: String?
    var target: CargoTarget?
    var message: RustMessage?
}

struct CargoTarget: Decodable {
    var srcPath: String?
}

struct RustMessage: Decodable {
    var message: String
    var level: String
    var code: RustCode?
    var spans: [RustSpan]
    var children: [RustMessage]

    /// Spans of the message and of all its children.
    var allSpans: [RustSpan] { spans + children.flatMap(\.allSpans) }
}

struct RustCode: Decodable {
    var code: String
}

struct RustSpan: Decodable, Equatable, Sendable {
    var fileName: String
    var byteStart: Int
    var byteEnd: Int
    var lineStart: Int
    var lineEnd: Int
    var columnStart: Int
    var columnEnd: Int
    var isPrimary: Bool
    var label: String?
    var suggestedReplacement: String?
    var expansion: RustExpansion?
}

struct RustExpansion: Decodable, Equatable, Sendable {
    var span: Box<RustSpan>?
}

/// Indirection for the recursive `expansion.span` field.
final class Box<Value: Decodable & Equatable & Sendable>: Decodable, Equatable, Sendable {
    let value: Value

    init(from decoder: any Decoder) throws {
        value = try Value(from: decoder)
    }

    static func == (lhs: Box, rhs: Box) -> Bool { lhs.value == rhs.value }
}
