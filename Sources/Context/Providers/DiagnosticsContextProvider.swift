/// A build problem at a place in the workspace, as the build monitor reports it.
public struct ContextDiagnostic: Sendable, Hashable, Codable {
    /// Workspace-relative (or absolute) path.
    public var path: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, when known.
    public var column: Int?
    /// `error`, `warning`, `note`, …
    public var severity: String
    /// What the tool said.
    public var message: String
    /// The source lines it is about (with any context lines), as the source
    /// formats them; nil to let the provider read the diagnostic's line.
    public var excerpt: String?

    public init(path: String, line: Int, column: Int? = nil, severity: String = "error", message: String,
                excerpt: String? = nil) {
        self.path = path
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
        self.excerpt = excerpt
    }
}

/// Supplies the current build diagnostics (the build monitor implements it,
/// or is adapted with ``ClosureDiagnosticsSource``).
public protocol DiagnosticsSource: Sendable {
    /// The diagnostics of the latest finished build of the workspace at
    /// `workspaceRoot`, most relevant to the focus (the current file and
    /// cursor line, when known) first.
    func currentDiagnostics(workspaceRoot: String, focusPath: String?, focusLine: Int?) async -> [ContextDiagnostic]
}

/// A ``DiagnosticsSource`` backed by a closure.
public struct ClosureDiagnosticsSource: DiagnosticsSource {
    private let body: @Sendable (String, String?, Int?) async -> [ContextDiagnostic]

    /// `body(workspaceRoot, focusPath, focusLine)` returns the diagnostics.
    public init(_ body: @escaping @Sendable (_ workspaceRoot: String, _ focusPath: String?, _ focusLine: Int?) async -> [ContextDiagnostic]) {
        self.body = body
    }

    /// A source that ignores the root and focus.
    public init(_ body: @escaping @Sendable () async -> [ContextDiagnostic]) {
        self.body = { _, _, _ in await body() }
    }

    public func currentDiagnostics(workspaceRoot: String, focusPath: String?, focusLine: Int?) async -> [ContextDiagnostic] {
        await body(workspaceRoot, focusPath, focusLine)
    }
}

/// Build diagnostics, one item per file, each with the offending source lines.
public struct DiagnosticsContextProvider: ContextProvider {
    public let name = "diagnostics"
    let root: String
    let source: any DiagnosticsSource
    /// At most this many diagnostics per file.
    public var perFileLimit = 20
    /// At most this many files.
    public var fileLimit = 10

    public init(root: String, source: any DiagnosticsSource) {
        self.root = root
        self.source = source
    }

    public func items(for request: ContextRequest) async throws -> [ContextItem] {
        let reader = SourceReader(root: root, unsavedBuffers: request.unsavedBuffers)
        let current = request.currentFile.flatMap(reader.relative)
        let diagnostics = await source.currentDiagnostics(workspaceRoot: root, focusPath: current,
                                                          focusLine: request.cursor?.line)
        guard !diagnostics.isEmpty else { return [] }
        var byPath: [String: [ContextDiagnostic]] = [:]
        for diagnostic in diagnostics {
            byPath[reader.relative(diagnostic.path) ?? diagnostic.path, default: []].append(diagnostic)
        }
        // Files with errors first, the current file before others, then by path.
        let paths = byPath.keys.sorted { lhs, rhs in
            let left = (byPath[lhs]!.contains { $0.severity == "error" } ? 0 : 1, lhs == current ? 0 : 1, lhs)
            let right = (byPath[rhs]!.contains { $0.severity == "error" } ? 0 : 1, rhs == current ? 0 : 1, rhs)
            return left < right
        }
        return paths.prefix(fileLimit).map { path in
            let list = byPath[path]!.sorted { ($0.line, $0.column ?? 0) < ($1.line, $1.column ?? 0) }.prefix(perFileLimit)
            let lines = reader.text(of: path).map { $0.split(separator: "\n", omittingEmptySubsequences: false) }
            var text = ""
            for diagnostic in list {
                text += "\(path):\(diagnostic.line)\(diagnostic.column.map { ":\($0)" } ?? ""): \(diagnostic.severity): \(diagnostic.message)\n"
                if let excerpt = diagnostic.excerpt {
                    for line in excerpt.split(separator: "\n", omittingEmptySubsequences: false) { text += "    \(line)\n" }
                } else if let lines, diagnostic.line >= 1, diagnostic.line <= lines.count {
                    text += "    \(lines[diagnostic.line - 1].trimmingPrefix { $0 == " " || $0 == "\t" })\n"
                }
            }
            let errors = list.filter { $0.severity == "error" }.count
            let reason = errors > 0
                ? "The last build reported \(errors) error\(errors == 1 ? "" : "s") in this file."
                : "The last build reported \(list.count) warning\(list.count == 1 ? "" : "s") or note\(list.count == 1 ? "" : "s") in this file."
            let range = LineRange(start: list.map(\.line).min() ?? 1, end: list.map(\.line).max() ?? 1)
            return ContextItem(provider: name, kind: .diagnostics, path: path, lines: range, text: text, reason: reason,
                               priority: errors > 0 ? ContextPriority.errors : ContextPriority.warnings,
                               stability: .volatile)
        }
    }
}
