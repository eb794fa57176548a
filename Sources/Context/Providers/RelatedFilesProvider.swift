/// Files related to the current one: what it imports or includes (resolved
/// to workspace files for Swift, OCaml, Python, Rust, Go, C/C++,
/// TypeScript/JavaScript and Java) and the files declaring names it uses.
/// Small files are sent whole, larger ones as an outline of their declarations.
public final class RelatedFilesProvider: ContextProvider, Sendable {
    public let name = "related"
    let index: WorkspaceIndex
    let counter: any TokenCounter
    /// Files offered.
    public let limit: Int
    /// Files up to this many tokens are sent whole; larger ones as an outline.
    public let fullTextTokens: Int
    private let resolverCache = Protected<(generation: Int, resolver: ImportResolver)?>(nil)
    /// The last answers, keyed by path and text, valid for one index generation.
    private let answers = Protected<(generation: Int, entries: [Int: [(path: String, reason: String)]])>((0, [:]))

    public init(index: WorkspaceIndex, tokenCounter: any TokenCounter, limit: Int = 6, fullTextTokens: Int = 800) {
        self.index = index
        self.counter = tokenCounter
        self.limit = limit
        self.fullTextTokens = fullTextTokens
    }

    public func items(for request: ContextRequest) async throws -> [ContextItem] {
        let reader = SourceReader(root: index.root, unsavedBuffers: request.unsavedBuffers)
        guard let file = request.currentFile, let current = reader.relative(file), let text = reader.text(of: current) else {
            return []
        }
        let related = relatedFiles(of: current, text: text)
        return related.enumerated().compactMap { rank, entry in
            guard let fileText = reader.text(of: entry.path) else { return nil }
            let whole = fileText.utf8.count <= fullTextTokens * 6 && counter.count(fileText) <= fullTextTokens
            let body = whole ? fileText : outline(of: entry.path)
            guard !body.isEmpty else { return nil }
            let lines = whole ? LineRange(start: 1, end: max(1, SourceReader.lineCount(fileText))) : nil
            return ContextItem(provider: name, kind: .relatedFile, path: entry.path, lines: lines, text: body,
                               reason: entry.reason + (whole ? "" : " Shown as an outline of its declarations."),
                               priority: ContextPriority.relatedFile - rank, stability: .stable)
        }
    }

    /// Related paths with the reason for each, imports first (cached per
    /// file text until the index changes).
    func relatedFiles(of current: String, text: String) -> [(path: String, reason: String)] {
        var hasher = Hasher()
        hasher.combine(current)
        hasher.combine(text)
        let key = hasher.finalize()
        let generation = index.generation
        if let known = answers.withLock({ $0.generation == generation ? $0.entries[key] : nil }) { return known }
        let result = computeRelatedFiles(of: current, text: text)
        answers.withLock { cache in
            if cache.generation != generation || cache.entries.count > 64 { cache = (generation, [:]) }
            cache.entries[key] = result
        }
        return result
    }

    private func computeRelatedFiles(of current: String, text: String) -> [(path: String, reason: String)] {
        let language = Language(path: current)
        let resolver = self.resolver()
        let declarers = index.filesDeclaringNamesUsed(in: current, limit: limit * 2)
        var result: [(path: String, reason: String)] = []
        var seen: Set<String> = [current]
        func add(_ path: String, _ reason: String) {
            guard result.count < limit, seen.insert(path).inserted else { return }
            result.append((path, reason))
        }
        for reference in ImportExtractor.imports(in: text, language: language) {
            if language == .swift, case .module(let module) = reference {
                // A Swift module is a directory (SwiftPM: Sources/<Module>/); prefer its files declaring names used here.
                for (path, names) in declarers where path.hasPrefix("Sources/\(module)/") || path.contains("/Sources/\(module)/") {
                    add(path, "In module \(module), imported by the current file; declares \(Self.list(names)) used there.")
                }
                continue
            }
            for path in resolver.resolve(reference, from: current).prefix(3) {
                add(path, "Imported by the current file (\(Self.describe(reference))).")
            }
        }
        for (path, names) in declarers {
            add(path, "Declares \(Self.list(names)) used in the current file.")
        }
        return result
    }

    private func resolver() -> ImportResolver {
        let generation = index.generation
        if let cached = resolverCache.withLock({ $0 }), cached.generation == generation { return cached.resolver }
        let resolver = ImportResolver(paths: index.indexedPaths(), root: index.root)
        resolverCache.withLock { $0 = (generation, resolver) }
        return resolver
    }

    /// The file's declarations, one per line with its line number.
    func outline(of path: String) -> String {
        guard let symbols = index.outline(of: path) else { return "" }
        var lines: [String] = []
        for symbol in symbols where symbol.category != .value || symbol.container == nil {
            let depth = symbol.container.map { $0.split(separator: ".").count } ?? 0
            let head = symbol.signature ?? "\(symbol.kind) \(symbol.name)"
            lines.append("\(String(repeating: "  ", count: min(depth, 4)))\(head)  // line \(symbol.line)")
            if lines.count >= 80 {
                lines.append("… \(symbols.count - 80) more declarations")
                break
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func list(_ names: [String]) -> String {
        let shown = names.prefix(4).map { "`\($0)`" }.joined(separator: ", ")
        return names.count > 4 ? shown + " and \(names.count - 4) more" : shown
    }

    private static func describe(_ reference: ImportReference) -> String {
        switch reference {
        case .module(let name): return "module \(name)"
        case .dotted(let name): return "import \(name)"
        case .quotedPath(let path): return "\"\(path)\""
        case .systemPath(let path): return "<\(path)>"
        case .rustModule(let name): return "mod \(name)"
        case .rustPath(let segments): return "use \(segments.joined(separator: "::"))"
        case .goPackage(let path): return "import \"\(path)\""
        }
    }
}
