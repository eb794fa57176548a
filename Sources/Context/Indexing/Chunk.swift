/// A retrievable region of a file: a declaration (or a part of a large
/// one), or a window of lines where no structure was found.
public struct Chunk: Sendable, Hashable, Codable {
    /// First line (1-based).
    public var startLine: Int
    /// Last line (1-based, inclusive).
    public var endLine: Int
    /// How the region was cut.
    public var kind: ChunkKind
    /// The declaration it covers, qualified (`ByteBuffer.writeBytes`), when structural.
    public var symbol: String?

    /// Creates a chunk.
    public init(startLine: Int, endLine: Int, kind: ChunkKind, symbol: String? = nil) {
        self.startLine = startLine
        self.endLine = endLine
        self.kind = kind
        self.symbol = symbol
    }

    /// Number of lines covered.
    public var lineCount: Int { endLine - startLine + 1 }
}

/// How a ``Chunk`` was cut.
public enum ChunkKind: String, Sendable, Codable {
    /// One declaration (or several small adjacent ones), whole.
    case declaration
    /// Part of a declaration too large for one chunk.
    case declarationPart
    /// A window of lines outside any declaration (or in a language without structure).
    case window
}
