import Foundation

/// Everything the index keeps about one file, computed without touching
/// shared state so that files can be analysed in parallel.
///
/// Terms are ids into the file's own ``vocabulary``; the index maps them
/// to workspace-wide ids when it merges the file.
struct FileAnalysis: Sendable {
    var path: String
    var language: Language
    var size: Int
    /// Modification time, nanoseconds since 1970.
    var modified: Int64
    /// 64-bit FNV-1a of the contents.
    var contentHash: UInt64
    var lineCount: Int
    var symbols: [Symbol]
    var chunks: [Chunk]
    var vocabulary: ByteStringTable
    /// Chunk `i`'s terms are `termIDs[termStarts[i]..<termStarts[i+1]]`.
    var termStarts: [Int32]
    var termIDs: [Int32]
    var termCounts: [UInt16]
    /// Sum of term counts per chunk (BM25 document length).
    var chunkLengths: [Int32]
    /// Identifiers used in the file's code (exact case, outside comments and
    /// strings) with their occurrence counts, for reference ranking.
    var identifierIDs: [Int32]
    var identifierCounts: [Int32]
}

/// Builds a ``FileAnalysis`` from a file's bytes and (for ctags languages) its tags.
struct FileAnalyzer: Sendable {
    var chunkBuilder = ChunkBuilder()
    /// Extra term frequency for the names a chunk declares.
    var declarationBoost: UInt16 = 3

    /// FNV-1a, 64-bit.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    func analyze(path: String, language: Language, data: Data, modified: Int64,
                 tags: [CtagsRunner.Tag]?) -> FileAnalysis {
        data.withUnsafeBytes { raw in
            analyze(path: path, language: language, bytes: raw.bindMemory(to: UInt8.self), modified: modified, tags: tags)
        }
    }

    func analyze(path: String, language: Language, bytes: UnsafeBufferPointer<UInt8>, modified: Int64,
                 tags: [CtagsRunner.Tag]?) -> FileAnalysis {
        let lines = LineTable(bytes)
        var symbols: [Symbol] = []
        var collector = TermCollector(language: language)
        if language == .swift {
            symbols = SwiftDeclarationScanner.symbols(in: bytes, lines: lines) { start, end in
                collector.countReference(bytes, start, end)
            }
        } else {
            if let tags, !tags.isEmpty {
                var spans = DeclarationSpans(bytes: bytes, lines: lines, language: language)
                symbols = spans.complete(tags)
            }
            if language != .text {
                var scanner = CodeScanner(bytes: bytes, lexicon: language.lexicon)
                while let token = scanner.next() {
                    if token.kind == .identifier || token.kind == .escapedIdentifier {
                        collector.countReference(bytes, token.start, token.end)
                    }
                }
            }
        }
        let trivia = LeadingTrivia(language: language)
        let chunks = chunkBuilder.chunks(
            lineCount: lines.count, symbols: symbols,
            isBlank: { line in lines.range(of: line, in: bytes).allSatisfy { bytes[$0] == 0x20 || bytes[$0] == 0x09 } },
            isLeadingTrivia: { line in trivia.matches(lines.text(of: line, in: bytes)) })

        let pathTerms = collector.termIDs(ofName: Self.stem(of: path))
        var symbolIndex = 0
        let declared = symbols.filter { $0.category != .value }
        for chunk in chunks {
            let range = lines.byteRange(lines: chunk.startLine...chunk.endLine)
            collector.countIdentifiers(bytes, in: range)
            while symbolIndex < declared.count, declared[symbolIndex].line < chunk.startLine { symbolIndex += 1 }
            var inside = symbolIndex
            while inside < declared.count, declared[inside].line <= chunk.endLine {
                for id in collector.termIDs(ofName: declared[inside].name) { collector.add(id, declarationBoost) }
                inside += 1
            }
            if chunk.kind == .declarationPart, let symbol = chunk.symbol,
               let last = symbol.split(separator: ".").last {
                for id in collector.termIDs(ofName: String(last)) { collector.add(id, 1) }
            }
            for id in pathTerms { collector.add(id, 1) }
            collector.finishChunk()
        }
        return FileAnalysis(
            path: path, language: language, size: bytes.count, modified: modified, contentHash: Self.hash(bytes),
            lineCount: lines.count, symbols: symbols, chunks: chunks, vocabulary: collector.vocabulary,
            termStarts: collector.termStarts, termIDs: collector.termIDs, termCounts: collector.termCounts,
            chunkLengths: collector.chunkLengths, identifierIDs: collector.identifierIDs(),
            identifierCounts: collector.identifierCounts())
    }

    /// The file name without directories and extension (`ByteBuffer-core`).
    static func stem(of path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}

/// Recognises comment and attribute lines that lead into a declaration.
struct LeadingTrivia: Sendable {
    private let prefixes: [String]

    init(language: Language) {
        switch language {
        case .python: prefixes = ["#", "@"]
        case .ocaml: prefixes = ["(*"]
        case .rust: prefixes = ["//", "/*", "*", "#[", "#!["]
        case .text: prefixes = []
        default: prefixes = ["//", "/*", "*", "@"]
        }
    }

    func matches(_ line: Substring) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        return prefixes.contains { trimmed.hasPrefix($0) }
    }
}
