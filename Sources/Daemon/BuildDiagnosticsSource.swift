import Builds
import Context

/// The build monitor's diagnostics, as the context engine reads them: the last finished build
/// of the workspace, most relevant to the current file and line first, with the source lines.
struct BuildDiagnosticsSource: DiagnosticsSource {
    let provider: any DiagnosticsProvider
    /// Lines shown around each diagnostic.
    var contextLines = 2

    func currentDiagnostics(workspaceRoot: String, focusPath: String?, focusLine: Int?) async -> [ContextDiagnostic] {
        let focus = focusPath.map { DiagnosticsFocus(path: $0, line: focusLine) }
        let located = await provider.diagnostics(workspaceRoot: workspaceRoot, focus: focus, contextLines: contextLines) ?? []
        return located.map { item in
            let diagnostic = item.diagnostic
            let excerpt = item.sourceLines.isEmpty ? nil : item.sourceLines.map { "\($0.number): \($0.text)" }.joined(separator: "\n")
            return ContextDiagnostic(path: diagnostic.path, line: diagnostic.line, column: diagnostic.column,
                                     severity: diagnostic.severity.rawValue, message: diagnostic.message, excerpt: excerpt)
        }
    }
}
