/// A compact map of the workspace's most referenced declarations, grouped
/// by file in path order, within a token budget.
///
///     Sources/Util/Logger.swift
///       final class Logger  — used in 4 files
public struct RepoMapProvider: ContextProvider {
    public let name = "repoMap"
    let index: WorkspaceIndex
    let counter: any TokenCounter
    /// Tokens the map may take: at most this, and at most 1/16 of the available window.
    public var maximumTokens = 2048
    /// Declarations considered.
    public var candidates = 400

    public init(index: WorkspaceIndex, tokenCounter: any TokenCounter) {
        self.index = index
        self.counter = tokenCounter
    }

    public func items(for request: ContextRequest) async throws -> [ContextItem] {
        let budget = min(maximumTokens, request.budget.available / 16)
        let ranked = index.rankedSymbols(limit: candidates)
        guard budget > 0, !ranked.isEmpty else { return [] }
        // Take symbols best first while the rendered map fits (checked by
        // estimating per line, then counted exactly at the end).
        var chosen: [RankedSymbol] = []
        var estimate = 0
        var files = Set<String>()
        for symbol in ranked {
            let cost = counter.count(Self.line(for: symbol)) + (files.contains(symbol.path) ? 0 : counter.count(symbol.path) + 1)
            if estimate + cost > budget { break }
            estimate += cost
            files.insert(symbol.path)
            chosen.append(symbol)
        }
        guard !chosen.isEmpty else { return [] }
        var text = Self.render(chosen)
        while counter.count(text) > budget, chosen.count > 1 {
            chosen.removeLast()
            text = Self.render(chosen)
        }
        return [ContextItem(provider: name, kind: .repoMap, text: text,
                            reason: "The \(chosen.count) declarations most referenced across the workspace, for orientation.",
                            priority: ContextPriority.repoMap, stability: .stable)]
    }

    static func line(for ranked: RankedSymbol) -> String {
        let head = ranked.symbol.signature ?? "\(ranked.symbol.kind) \(ranked.symbol.name)"
        let indent = ranked.symbol.container == nil ? "  " : "    "
        return "\(indent)\(head)  — used in \(ranked.referencingFiles) file\(ranked.referencingFiles == 1 ? "" : "s")\n"
    }

    /// Groups by path (sorted), declarations by line within a file.
    static func render(_ symbols: [RankedSymbol]) -> String {
        let grouped = Dictionary(grouping: symbols, by: \.path)
        var text = ""
        for path in grouped.keys.sorted() {
            text += path + "\n"
            for ranked in grouped[path]!.sorted(by: { $0.symbol.line < $1.symbol.line }) { text += line(for: ranked) }
        }
        return text
    }
}
