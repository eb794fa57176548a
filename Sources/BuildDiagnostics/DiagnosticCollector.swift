/// Accumulates diagnostics while a parser walks through output, merging the
/// duplicates that build drivers print (the same error reported by several
/// compiler jobs, or once per build variant).
struct DiagnosticCollector: Sendable {
    private(set) var diagnostics: [Diagnostic] = []
    private var indexByKey: [Key: Int] = [:]

    private struct Key: Hashable {
        var path: String
        var line: Int
        var column: Int?
        var severity: DiagnosticSeverity
        var message: String
    }

    /// Adds a complete `diagnostic`. When an identical one (same location,
    /// severity and message) was already added, its related information is
    /// merged into the earlier one instead.
    mutating func add(_ diagnostic: Diagnostic) {
        let key = Key(
            path: diagnostic.path, line: diagnostic.line, column: diagnostic.column,
            severity: diagnostic.severity, message: diagnostic.message)
        if let existing = indexByKey[key] {
            for item in diagnostic.related { addRelated(item, to: existing) }
            if diagnostics[existing].code == nil { diagnostics[existing].code = diagnostic.code }
            if diagnostics[existing].endLine == nil {
                diagnostics[existing].endLine = diagnostic.endLine
                diagnostics[existing].endColumn = diagnostic.endColumn
            }
            return
        }
        diagnostics.append(diagnostic)
        indexByKey[key] = diagnostics.count - 1
    }

    private mutating func addRelated(_ item: RelatedInformation, to index: Int) {
        guard diagnostics.indices.contains(index), !diagnostics[index].related.contains(item) else { return }
        diagnostics[index].related.append(item)
    }
}
