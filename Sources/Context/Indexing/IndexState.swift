/// One indexed file as held in memory.
struct IndexedFile: Sendable {
    var path: String
    var language: Language
    var status: FileStatus
    var contentHash: UInt64
    var lineCount: Int
    var chunkIDs: [Int32]
    /// Distinct terms per chunk (to account for dead postings on removal).
    var chunkTermCounts: [Int32]
    var symbols: [Symbol]
    var identifiers: [Int32]
    var identifierCounts: [Int32]
    /// Term ids of the declared names (distinct).
    var declared: [Int32]
    /// Symbols that take part in the repo map ranking: (index in `symbols`, name term).
    var rankable: [(symbol: Int32, term: Int32)]
}

/// The rows that persist one file.
struct FileRows: Sendable {
    struct ChunkRow: Sendable {
        var chunk: Chunk
        var length: Int32
        var terms: [UInt8]
    }

    var path: String
    var language: Language
    var status: FileStatus
    var contentHash: UInt64
    var lineCount: Int
    var identifiers: [UInt8]
    var chunks: [ChunkRow]
    var symbols: [Symbol]
}

/// The in-memory index of a workspace: retrieval, references, files and chunks.
struct IndexState: Sendable {
    var retrieval = RetrievalIndex()
    var references = ReferenceTable()
    var files: [String: IndexedFile] = [:]
    /// Path and chunk of every chunk id (nil once removed).
    var chunkSlots: [(path: String, chunk: Chunk)?] = []
    /// Bumped on every change, so that derived data (the repo map) can be cached.
    var generation = 0
    /// Vocabulary entries already written to the database.
    var persistedTermCount = 0
    /// Files declaring each name as a type, module or top-level function
    /// (by vocabulary id of the exact name).
    var declarers: [Int32: [String]] = [:]
    /// Lines of every indexed file, kept as files come and go.
    var lineCount = 0

    /// Forgets `path`. Returns whether it was indexed.
    @discardableResult
    mutating func remove(_ path: String) -> Bool {
        guard let file = files.removeValue(forKey: path) else { return false }
        lineCount -= file.lineCount
        for (chunk, termCount) in zip(file.chunkIDs, file.chunkTermCounts) {
            retrieval.removeChunk(chunk, termCount: Int(termCount))
            chunkSlots[Int(chunk)] = nil
        }
        references.apply(identifiers: file.identifiers, counts: file.identifierCounts, declared: file.declared, sign: -1)
        for (_, term) in file.rankable {
            declarers[term]?.removeAll { $0 == path }
            if declarers[term]?.isEmpty == true { declarers[term] = nil }
        }
        generation += 1
        return true
    }

    /// Adds (or replaces) a freshly analysed file; returns the rows to persist.
    mutating func insert(_ analysis: FileAnalysis) -> FileRows {
        remove(analysis.path)
        // Map file-local term ids to workspace ids.
        let vocabulary = analysis.vocabulary
        var global = [Int32](repeating: 0, count: vocabulary.count)
        for local in 0..<vocabulary.count {
            global[local] = vocabulary.withBytes(of: Int32(local)) { retrieval.intern($0, length: $1) }
        }
        var chunkRows: [FileRows.ChunkRow] = []
        chunkRows.reserveCapacity(analysis.chunks.count)
        var chunkIDs: [Int32] = [], chunkTermCounts: [Int32] = []
        for (index, chunk) in analysis.chunks.enumerated() {
            let range = Int(analysis.termStarts[index])..<Int(analysis.termStarts[index + 1])
            let ids = analysis.termIDs[range].map { global[Int($0)] }
            let counts = analysis.termCounts[range]
            let id = retrieval.addChunk(termIDs: ids, counts: counts, length: analysis.chunkLengths[index])
            chunkIDs.append(id)
            chunkTermCounts.append(Int32(ids.count))
            appendSlot(id, (analysis.path, chunk))
            chunkRows.append(.init(chunk: chunk, length: analysis.chunkLengths[index],
                                   terms: TermListCoding.encode(ids: ids, counts: counts.map(Int32.init))))
        }
        let identifiers = analysis.identifierIDs.map { global[Int($0)] }
        let (declared, rankable) = declaredTerms(analysis.symbols)
        let file = IndexedFile(
            path: analysis.path, language: analysis.language,
            status: FileStatus(size: analysis.size, modified: analysis.modified), contentHash: analysis.contentHash,
            lineCount: analysis.lineCount, chunkIDs: chunkIDs, chunkTermCounts: chunkTermCounts,
            symbols: analysis.symbols, identifiers: identifiers, identifierCounts: analysis.identifierCounts,
            declared: declared, rankable: rankable)
        add(file)
        return FileRows(path: file.path, language: file.language, status: file.status, contentHash: file.contentHash,
                        lineCount: file.lineCount,
                        identifiers: TermListCoding.encode(ids: identifiers, counts: analysis.identifierCounts),
                        chunks: chunkRows, symbols: file.symbols)
    }

    /// Adds a file loaded from the database (term ids already workspace-wide).
    mutating func restore(_ rows: FileRows) {
        var chunkIDs: [Int32] = [], chunkTermCounts: [Int32] = []
        for row in rows.chunks {
            let (ids, counts) = TermListCoding.decode(row.terms)
            let id = retrieval.addChunk(termIDs: ids, counts: counts.map { UInt16(clamping: $0) }, length: row.length)
            chunkIDs.append(id)
            chunkTermCounts.append(Int32(ids.count))
            appendSlot(id, (rows.path, row.chunk))
        }
        let (identifiers, counts) = TermListCoding.decode(rows.identifiers)
        let (declared, rankable) = declaredTerms(rows.symbols)
        add(IndexedFile(path: rows.path, language: rows.language, status: rows.status, contentHash: rows.contentHash,
                        lineCount: rows.lineCount, chunkIDs: chunkIDs, chunkTermCounts: chunkTermCounts,
                        symbols: rows.symbols, identifiers: identifiers, identifierCounts: counts,
                        declared: declared, rankable: rankable))
    }

    /// Records a new modification time for a file whose contents did not change.
    mutating func touch(_ path: String, status: FileStatus) {
        files[path]?.status = status
    }

    private mutating func add(_ file: IndexedFile) {
        files[file.path] = file
        lineCount += file.lineCount
        references.apply(identifiers: file.identifiers, counts: file.identifierCounts, declared: file.declared, sign: 1)
        for (_, term) in file.rankable { declarers[term, default: []].append(file.path) }
        generation += 1
    }

    private mutating func appendSlot(_ id: Int32, _ slot: (path: String, chunk: Chunk)) {
        while chunkSlots.count <= Int(id) { chunkSlots.append(nil) }
        chunkSlots[Int(id)] = slot
    }

    /// Workspace term ids of the names `symbols` declare (types, callables,
    /// modules; extensions only use a name, a Go/Java `package` clause names
    /// the file's package), and the symbols to rank: types, modules and
    /// top-level functions, one per distinct name, keyword-like names left out.
    private mutating func declaredTerms(_ symbols: [Symbol]) -> ([Int32], [(symbol: Int32, term: Int32)]) {
        var seen = Set<Int32>()
        var rankable: [(symbol: Int32, term: Int32)] = []
        for (index, symbol) in symbols.enumerated()
        where symbol.category != .value && !symbol.isExtension && symbol.kind != "package" {
            guard let id = nameTerm(symbol.name, create: true) else { continue }
            // Members are named like members everywhere (`count`): only types,
            // modules and top-level functions are ranked and looked up by name.
            let standalone = symbol.category != .callable || symbol.container == nil
            if seen.insert(id).inserted, standalone, !Self.keywordLikeNames.contains(symbol.name) {
                rankable.append((Int32(index), id))
            }
        }
        return (seen.sorted(), rankable)
    }

    /// Names that are keywords somewhere (a C field called `in`, a Swift
    /// case called `func`): their counts measure the keyword, not the declaration.
    static let keywordLikeNames: Set<String> = [
        "in", "is", "as", "if", "do", "for", "func", "fn", "let", "var", "def", "class", "struct", "enum", "type",
        "init", "self", "super", "new", "end", "get", "set", "main", "default", "case", "return", "import", "from",
        "public", "private", "static", "const", "true", "false", "nil", "null", "none", "some", "any", "where", "while",
    ]

    /// The vocabulary id of a declared name (exact case, as references are counted).
    mutating func nameTerm(_ name: String, create: Bool) -> Int32? {
        guard name.utf8.count >= 2, name.utf8.count <= TermSplitter.maximumLength,
              name.utf8.allSatisfy(TermSplitter.isIdentifierByte) else { return nil }
        return create ? retrieval.intern(name) : retrieval.termID(name)
    }

    /// The vocabulary blocks holding terms not yet written to the database
    /// (the last persisted block is rewritten whole), NUL-separated.
    func unpersistedTermBlocks() -> [(Int, [UInt8])] {
        let count = retrieval.vocabulary.count
        guard count > persistedTermCount else { return [] }
        let size = IndexSchema.termBlockSize
        var blocks: [(Int, [UInt8])] = []
        var block = persistedTermCount / size
        while block * size < count {
            var bytes: [UInt8] = []
            for id in (block * size)..<min(count, (block + 1) * size) {
                if id > block * size { bytes.append(0) }
                bytes.append(contentsOf: retrieval.vocabulary.bytes(of: Int32(id)))
            }
            blocks.append((block, bytes))
            block += 1
        }
        return blocks
    }
}
