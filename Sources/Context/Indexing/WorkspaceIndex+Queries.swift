import Foundation

extension WorkspaceIndex {
    /// The best chunks for a free-text query (identifiers are split as in
    /// the index, so `ByteBuffer`, `byte buffer` and `byte_buffer` all
    /// match), best first. Whole identifiers weigh more than their parts.
    public func search(_ query: String, limit: Int = 10, excluding excludedPaths: Set<String> = []) -> [SearchHit] {
        let weighted = Self.queryTerms(query)
        return state.withLock { state in
            let terms = weighted.compactMap { term, weight in state.retrieval.termID(term).map { (term: $0, weight: weight) } }
            guard !terms.isEmpty else { return [] }
            let slots = state.chunkSlots
            let accept: ((Int32) -> Bool)? = excludedPaths.isEmpty ? nil : { chunk in
                guard let slot = slots[Int(chunk)] else { return false }
                return !excludedPaths.contains(slot.path)
            }
            return state.retrieval.search(terms, limit: limit, accept: accept).compactMap { hit in
                guard let slot = state.chunkSlots[Int(hit.chunk)] else { return nil }
                return SearchHit(path: slot.path, startLine: slot.chunk.startLine, endLine: slot.chunk.endLine,
                                 kind: slot.chunk.kind, symbol: slot.chunk.symbol, score: Double(hit.score))
            }
        }
    }

    /// Query terms with weights: whole identifiers 1, their parts 0.6.
    static func queryTerms(_ query: String) -> [(String, Float)] {
        var weights: [String: Float] = [:]
        var order: [String] = []
        var query = query
        query.withUTF8 { bytes in
            let scratch = ScratchBuffer(capacity: TermSplitter.maximumLength * 2 + 2)
            TermSplitter.forEachIdentifier(bytes, in: 0..<bytes.count) { start, end in
                TermSplitter.forEachTerm(bytes, start, end, scratch: scratch.pointer) { pointer, length, whole in
                    let term = String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
                    let weight: Float = whole ? 1 : 0.6
                    if let existing = weights[term] {
                        weights[term] = max(existing, weight)
                    } else {
                        weights[term] = weight
                        order.append(term)
                    }
                }
            }
        }
        return order.map { ($0, weights[$0]!) }
    }

    /// The declarations of an indexed file, in source order; nil when the file is not indexed.
    public func outline(of path: String) -> [Symbol]? {
        guard let relative = try? relativePath(path) else { return nil }
        return state.withLock { $0.files[relative]?.symbols }
    }

    /// Whether `path` is indexed, and its language.
    public func language(of path: String) -> Language? {
        guard let relative = try? relativePath(path) else { return nil }
        return state.withLock { $0.files[relative]?.language }
    }

    /// Every indexed path, sorted.
    public func indexedPaths() -> [String] {
        state.withLock { $0.files.keys.sorted() }
    }

    /// Where a name is declared: (path, symbol) pairs, types and callables first.
    public func declarations(named name: String, limit: Int = 20) -> [(path: String, symbol: Symbol)] {
        state.withLock { state in
            var found: [(String, Symbol)] = []
            for (path, file) in state.files {
                for symbol in file.symbols where symbol.name == name { found.append((path, symbol)) }
            }
            found.sort { lhs, rhs in
                let left = lhs.1.category == .value ? 1 : 0, right = rhs.1.category == .value ? 1 : 0
                return (left, lhs.0, lhs.1.line) < (right, rhs.0, rhs.1.line)
            }
            return Array(found.prefix(limit))
        }
    }

    /// Declarations (types, callables, modules; not extensions) ranked by how
    /// many files reference their name in code, best first; ties by
    /// occurrences, then path and line. Computed once per index generation.
    ///
    /// References are counted by name, so a method named like a standard
    /// library member (`count`) collects that member's uses too; callables
    /// are therefore weighted down (top-level ×0.5; members are not ranked)
    /// against types and modules, and declarations under test directories
    /// count ×0.3.
    public func rankedSymbols(limit: Int = 100) -> [RankedSymbol] {
        let generation = state.withLock { $0.generation }
        if let cached = rankingCache.withLock({ $0 }), cached.generation == generation {
            return Array(cached.symbols.prefix(limit))
        }
        let ranked: [RankedSymbol] = state.withLock { state in
            // Light candidates first (no symbol copied), sorted; only the kept ones become
            // RankedSymbols: this runs under the index lock after every change.
            var candidates: [(score: Double, occurrences: Int, path: String, line: Int, symbol: Int32, term: Int32)] = []
            for (path, file) in state.files where !file.rankable.isEmpty {
                // Once per file, not per symbol: it splits and lowercases the path.
                let weight = Self.pathWeight(path)
                for (index, term) in file.rankable {
                    let base = state.references.score(term)
                    guard base > 0 else { continue }
                    let symbol = file.symbols[Int(index)]
                    let score = base * Self.rankingWeight(symbol) * weight
                    guard score > 0 else { continue }
                    candidates.append((score, state.references.occurrenceCount(term), path, symbol.line, index, term))
                }
            }
            // Most candidates tie with many others (same score, same occurrences), and comparing
            // their paths dominates a full sort: order by score alone, keep the best 5,000 and
            // whatever ties with the last of them, and fully order only those.
            candidates.sort { $0.score > $1.score }
            if candidates.count > 5000 {
                let cutoff = candidates[4999].score
                let end = candidates[5000...].firstIndex { $0.score < cutoff } ?? candidates.count
                candidates.removeSubrange(end...)
            }
            candidates.sort { lhs, rhs in
                if lhs.score != rhs.score { return lhs.score > rhs.score }
                if lhs.occurrences != rhs.occurrences { return lhs.occurrences > rhs.occurrences }
                if lhs.path != rhs.path { return lhs.path < rhs.path }
                return lhs.line < rhs.line
            }
            return candidates.prefix(5000).compactMap { candidate in
                guard let file = state.files[candidate.path] else { return nil }
                return RankedSymbol(path: candidate.path, symbol: file.symbols[Int(candidate.symbol)],
                                    referencingFiles: state.references.referencingFiles(candidate.term),
                                    occurrences: candidate.occurrences, score: candidate.score)
            }
        }
        rankingCache.withLock { $0 = (generation, ranked) }
        return Array(ranked.prefix(limit))
    }

    /// Files declaring (as types, modules or top-level functions) the names
    /// `path` uses in its code, best first, with those names. Names declared
    /// in more than `maximumDeclarers` files are too ambiguous to count;
    /// each use counts 1/(number of declaring files), doubled for a file in
    /// the same directory, ×1.5 under the same top-level directory, ×0.3 for
    /// a file under a test directory and ×0.3 for another language family.
    public func filesDeclaringNamesUsed(in path: String, limit: Int = 5,
                                        maximumDeclarers: Int = 3) -> [(path: String, names: [String])] {
        guard let relative = try? relativePath(path) else { return [] }
        return state.withLock { state in
            guard let file = state.files[relative] else { return [] }
            var scores: [String: Double] = [:]
            var names: [String: [(Int32, String)]] = [:]
            for (term, count) in zip(file.identifiers, file.identifierCounts) {
                guard let declaring = state.declarers[term], declaring.count <= maximumDeclarers,
                      !declaring.contains(relative) else { continue }
                let name = state.retrieval.vocabulary.string(of: term)
                if IndexState.keywordLikeNames.contains(name) { continue }
                for other in declaring {
                    let language = state.files[other]?.language ?? .text
                    let weight = Self.proximity(relative, other) * Self.pathWeight(other)
                        * (language.family == file.language.family ? 1 : 0.3)
                    scores[other, default: 0] += Double(count) / Double(declaring.count) * weight
                    names[other, default: []].append((count, name))
                }
            }
            let best = scores.keys.sorted { (-scores[$0]!, $0) < (-scores[$1]!, $1) }.prefix(limit)
            return best.map { other in
                (other, names[other]!.sorted { ($0.0, $1.1) > ($1.0, $0.1) }.map(\.1))
            }
        }
    }

    static func proximity(_ lhs: String, _ rhs: String) -> Double {
        let left = lhs.split(separator: "/").dropLast(), right = rhs.split(separator: "/").dropLast()
        if left == right { return 2 }
        if let first = left.first, first == right.first { return 1.5 }
        return 1
    }

    /// Declarations in tests are rarely what orients a reader (and test
    /// helpers often reuse common names): ×0.3.
    static func pathWeight(_ path: String) -> Double {
        // Over bytes: Substring's generic hasSuffix made this the bulk of a repo map ranking.
        let lowered = Array(path.lowercased().utf8)
        for component in lowered.split(separator: UInt8(ascii: "/")) where isTestComponent(component) { return 0.3 }
        return 1
    }

    /// "tests", "test", "__tests__", "…tests", "test_…", "…_test.…", "…test.swift", "….test.ts", "….spec.ts".
    private static func isTestComponent(_ component: ArraySlice<UInt8>) -> Bool {
        func equals(_ text: StaticString) -> Bool { component.elementsEqual(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)) }
        func hasPrefix(_ text: StaticString) -> Bool {
            component.starts(with: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        func hasSuffix(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            return component.count >= count
                && component.suffix(count).elementsEqual(UnsafeBufferPointer(start: text.utf8Start, count: count))
        }
        func contains(_ text: StaticString) -> Bool {
            let needle = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            guard component.count >= needle.count else { return false }
            var start = component.startIndex
            while start + needle.count <= component.endIndex {
                if component[start..<(start + needle.count)].elementsEqual(needle) { return true }
                start += 1
            }
            return false
        }
        return equals("tests") || equals("test") || equals("__tests__") || hasSuffix("tests") || hasPrefix("test_")
            || contains("_test.") || hasSuffix("tests.swift") || hasSuffix("test.swift") || hasSuffix(".test.ts")
            || hasSuffix(".spec.ts")
    }

    static func rankingWeight(_ symbol: Symbol) -> Double {
        switch symbol.category {
        case .type, .module: return 1
        case .callable: return symbol.container == nil ? 0.5 : 0.25
        case .value: return 0.25
        }
    }

    /// Size figures.
    public func statistics() -> IndexStatistics {
        state.withLock { state in
            IndexStatistics(files: state.files.count, lines: state.files.values.reduce(0) { $0 + $1.lineCount },
                            chunks: state.retrieval.liveChunks, terms: state.retrieval.vocabulary.count,
                            postings: state.retrieval.postingCount,
                            symbols: state.files.values.reduce(0) { $0 + $1.symbols.count })
        }
    }

    /// Indexed files and their lines, cheaply (for status reports; see ``statistics()`` for more).
    public func size() -> (files: Int, lines: Int) {
        state.withLock { ($0.files.count, $0.lineCount) }
    }

    /// A counter that changes whenever the index does (for caches built on it).
    public var generation: Int { state.withLock { $0.generation } }
}
