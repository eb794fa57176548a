import BuildDiagnostics
import Foundation

/// Orders diagnostics by relevance to where someone is looking, and attaches source lines.
public enum DiagnosticRanking {
    /// Most relevant first: errors in the focused file (nearest to the focused line first),
    /// then errors elsewhere, then warnings in the focused file, warnings elsewhere, and last the
    /// notes and remarks. Elsewhere, and without a focus, by path and line.
    public static func order(_ diagnostics: [Diagnostic], focus: DiagnosticsFocus?, root: String) -> [Diagnostic] {
        let focusPath = focus.map { relative($0.path, root: root) }
        func key(_ diagnostic: Diagnostic) -> (Int, Int, String, Int, Int) {
            let inFocus = focusPath != nil && relative(diagnostic.path, root: root) == focusPath
            let severityRank: Int
            switch diagnostic.severity {
            case .error: severityRank = 0
            case .warning: severityRank = 1
            case .note, .info: severityRank = 2
            }
            let tier = severityRank * 2 + (inFocus ? 0 : 1)
            var distance = 0
            if inFocus, let line = focus?.line {
                let end = diagnostic.endLine ?? diagnostic.line
                distance = line < diagnostic.line ? diagnostic.line - line : (line > end ? line - end : 0)
            }
            return (tier, distance, diagnostic.path, diagnostic.line, diagnostic.column ?? 0)
        }
        return diagnostics.enumerated().sorted { a, b in
            let (ka, kb) = (key(a.element), key(b.element))
            if ka != kb { return ka < kb }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// Adds to each diagnostic its lines (`line` to `endLine`, at most 20) and `contextLines`
    /// lines before and after, read from the files as they are now.
    public static func locate(_ diagnostics: [Diagnostic], root: String, contextLines: Int) -> [LocatedDiagnostic] {
        var files: [String: [Substring]] = [:]
        return diagnostics.map { diagnostic in
            let absolute = diagnostic.path.hasPrefix("/") ? diagnostic.path : root + "/" + diagnostic.path
            if files[absolute] == nil {
                if let data = FileManager.default.contents(atPath: absolute) {
                    files[absolute] = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                } else {
                    files[absolute] = []
                }
            }
            let lines = files[absolute] ?? []
            let context = max(0, contextLines)
            let end = min(max(diagnostic.endLine ?? diagnostic.line, diagnostic.line), diagnostic.line + 19)
            let first = max(1, diagnostic.line - context)
            let last = min(lines.count, end + context)
            let source = first <= last ? (first...last).map { SourceLine(number: $0, text: String(lines[$0 - 1])) } : []
            return LocatedDiagnostic(diagnostic: diagnostic, sourceLines: source)
        }
    }

    /// `path` relative to `root` when it is inside it.
    static func relative(_ path: String, root: String) -> String {
        var trimmedRoot = root
        while trimmedRoot.count > 1, trimmedRoot.hasSuffix("/") { trimmedRoot.removeLast() }
        if path.hasPrefix(trimmedRoot + "/") { return String(path.dropFirst(trimmedRoot.count + 1)) }
        var path = Substring(path)
        while path.hasPrefix("./") { path = path.dropFirst(2) }
        return String(path)
    }
}
