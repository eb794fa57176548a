/// The code around the cursor: the innermost declaration containing it when
/// that is short enough, otherwise a window of lines.
public struct CursorWindowProvider: ContextProvider {
    public let name = "cursor"
    let index: WorkspaceIndex
    /// Declarations of recently seen Swift texts, by text hash.
    private let parsed = Protected<[Int: [Symbol]]>([:])
    /// A declaration longer than this is replaced by a window.
    public var maximumDeclarationLines = 150
    /// Lines before and after the cursor in a window.
    public var linesBefore = 40
    /// Lines after the cursor in a window.
    public var linesAfter = 25

    public init(index: WorkspaceIndex) {
        self.index = index
    }

    public func items(for request: ContextRequest) async throws -> [ContextItem] {
        guard let file = request.currentFile, let cursor = request.cursor else { return [] }
        let reader = SourceReader(root: index.root, unsavedBuffers: request.unsavedBuffers)
        guard let path = reader.relative(file), let text = reader.text(of: path) else { return [] }
        let symbols = declarations(path: path, text: text, overridden: reader.isOverridden(path))
        let enclosing = symbols
            .filter { $0.line <= cursor.line && $0.endLine >= cursor.line && $0.category != .value }
            .filter { $0.endLine - $0.line + 1 <= maximumDeclarationLines }
            .min { $0.endLine - $0.line < $1.endLine - $1.line }
        let range: LineRange
        let reason: String
        if let enclosing, enclosing.endLine > enclosing.line {
            // Prefer the outermost declaration that still fits, for more context.
            let outer = symbols
                .filter { $0.line <= enclosing.line && $0.endLine >= enclosing.endLine && $0.category != .value }
                .filter { $0.endLine - $0.line + 1 <= maximumDeclarationLines }
                .max { $0.endLine - $0.line < $1.endLine - $1.line } ?? enclosing
            range = LineRange(start: outer.line, end: outer.endLine)
            reason = "The cursor (line \(cursor.line)) is inside \(outer.kind) \(outer.qualifiedName)."
        } else {
            range = LineRange(start: cursor.line - linesBefore, end: cursor.line + linesAfter)
            reason = "Lines around the cursor (line \(cursor.line)) in the file being edited."
        }
        guard let slice = SourceReader.slice(text, range) else { return [] }
        return [ContextItem(provider: name, kind: .cursor, path: path, lines: slice.range, text: slice.text,
                            reason: reader.isOverridden(path) ? reason + " Text from the unsaved editor buffer." : reason,
                            priority: ContextPriority.cursor, stability: .volatile)]
    }

    /// Declarations of the file as the editor sees it: Swift buffers are
    /// scanned directly; other files use the index (unless unsaved, when
    /// line numbers may have moved and a window is safer).
    private func declarations(path: String, text: String, overridden: Bool) -> [Symbol] {
        let language = Language(path: path)
        if language == .swift {
            var hasher = Hasher()
            hasher.combine(text)
            let key = hasher.finalize()
            if let known = parsed.withLock({ $0[key] }) { return known }
            var text = text
            let symbols = text.withUTF8 { bytes in SwiftDeclarationScanner.symbols(in: bytes, lines: LineTable(bytes)) }
            parsed.withLock { cache in
                if cache.count >= 16 { cache.removeAll() }
                cache[key] = symbols
            }
            return symbols
        }
        if overridden { return [] }
        return index.outline(of: path) ?? []
    }
}
