/// Chunks of the workspace ranked by BM25 against the request's words (and
/// the selected text), read as the editor sees them.
public struct RetrievalProvider: ContextProvider {
    public let name = "retrieval"
    let index: WorkspaceIndex
    /// Chunks offered.
    public var limit = 8
    /// Characters of the selection added to the query.
    public var selectionQueryLength = 400

    public init(index: WorkspaceIndex) {
        self.index = index
    }

    public func items(for request: ContextRequest) async throws -> [ContextItem] {
        var query = request.prompt
        if let selected = request.selection?.text { query += " " + selected.prefix(selectionQueryLength) }
        let hits = index.search(query, limit: limit)
        let reader = SourceReader(root: index.root, unsavedBuffers: request.unsavedBuffers)
        return hits.enumerated().compactMap { rank, hit in
            guard let slice = reader.lines(of: hit.path, in: LineRange(start: hit.startLine, end: hit.endLine)) else {
                return nil
            }
            let what = hit.symbol.map { " (\($0))" } ?? ""
            var reason = "Ranked #\(rank + 1) of \(hits.count) by BM25 for the request's words\(what)."
            if reader.isOverridden(hit.path) { reason += " Text from the unsaved editor buffer." }
            return ContextItem(provider: name, kind: .retrieval, path: hit.path, lines: slice.range, text: slice.text,
                               reason: reason, priority: ContextPriority.retrieval - rank, stability: .volatile)
        }
    }
}
