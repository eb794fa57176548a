import AidProtocol
import Context
import Diffs
import Foundation
import JSONRPC
import Prompts

/// The editor state of a request, checked and made workspace-relative: the workspace, the
/// current file, the cursor and selection (1-based lines), and the unsaved buffers.
struct EditorState: Sendable {
    /// The workspace root, canonical.
    let root: String
    /// The current file, workspace-relative.
    let file: String?
    /// The cursor's 1-based line and column.
    let cursor: Position?
    /// The selection's 1-based lines and columns.
    let selection: Selection?
    /// Unsaved buffers by workspace-relative path.
    let buffers: [String: String]

    /// Checks `params`: the workspace (-32004 when unknown), the current file and the buffers
    /// (-32008 when outside the workspace), the positions (-32602 when negative).
    static func resolve(_ params: some EditorStateParams, connection: RPCConnection, method: String) throws -> EditorState {
        let root = try workspaceRoot(params.workspaceRoot, connection: connection, method: method)
        let confinement: PathConfinement
        do {
            confinement = try PathConfinement(root: URL(fileURLWithPath: root))
        } catch {
            throw ResponseError(.workspaceUnknown, error.description)
        }
        let file = try params.file.map { try relative($0, root: root, confinement: confinement, field: "params.file") }
        var buffers: [String: String] = [:]
        for (index, buffer) in (params.buffers ?? []).enumerated() {
            let path = try relative(buffer.path, root: root, confinement: confinement, field: "params.buffers[\(index)].path")
            buffers[path] = buffer.text
        }
        try check(params.cursor, field: "params.cursor")
        try check(params.selection?.start, field: "params.selection.start")
        try check(params.selection?.end, field: "params.selection.end")
        let cursor = params.cursor.map { Position(line: $0.line + 1, column: $0.character + 1) }
        let selection = params.selection.flatMap { range -> Selection? in
            // An empty selection is no selection.
            guard range.start != range.end else { return nil }
            // A selection ending at character 0 of a line does not include that line.
            let endLine = range.end.character == 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line
            return Selection(start: Position(line: range.start.line + 1, column: range.start.character + 1),
                             end: Position(line: endLine + 1, column: range.end.character + 1))
        }
        return EditorState(root: root, file: file, cursor: cursor, selection: selection, buffers: buffers)
    }

    /// The canonical root named by the request or, without one, by the connection's `initialize`.
    static func workspaceRoot(_ requested: String?, connection: RPCConnection, method: String) throws -> String {
        guard let given = requested ?? connection.clientInfo?.workspaceRoot else {
            throw ResponseError(.workspaceUnknown, "\(method) needs a workspace: pass params.workspaceRoot, or give workspaceRoot in initialize")
        }
        guard let root = BuildService.canonicalRoot(given) else {
            throw ResponseError(.workspaceUnknown, "workspace root \(given) does not exist or is not a readable directory; pass the project's top directory as an absolute path")
        }
        return root
    }

    /// `path` (absolute, or relative to the root) relative to the root; -32008 when outside.
    static func relative(_ path: String, root: String, confinement: PathConfinement, field: String) throws -> String {
        var candidate = path
        if path.hasPrefix("/") {
            let standardized = (path as NSString).standardizingPath
            let resolvedParent = BuildService.canonicalRoot((standardized as NSString).deletingLastPathComponent)
            if standardized.hasPrefix(root + "/") {
                candidate = String(standardized.dropFirst(root.count + 1))
            } else if let resolvedParent, resolvedParent == root || resolvedParent.hasPrefix(root + "/") {
                // The path reaches the workspace through a symbolic link.
                candidate = String((resolvedParent + "/" + (standardized as NSString).lastPathComponent).dropFirst(root.count + 1))
            } else {
                throw ResponseError(.pathOutsideWorkspace, "\(field) \(path) is outside the workspace \(root); pass a file inside it",
                                    data: .object(["path": .string(path), "workspaceRoot": .string(root)]))
            }
        }
        do {
            return try confinement.relativePath(candidate)
        } catch {
            throw ResponseError(.pathOutsideWorkspace, "\(field): \(error.description)",
                                data: .object(["path": .string(path), "workspaceRoot": .string(root)]))
        }
    }

    private static func check(_ position: EditorPosition?, field: String) throws {
        guard let position else { return }
        if position.line < 0 || position.character < 0 {
            throw ResponseError(.invalidParams, "\(field) must have a line and character of at least 0 (positions are 0-based), got \(position.line):\(position.character)")
        }
    }

    /// The text of `path` as the editor sees it: the unsaved buffer, else the disk.
    func text(of path: String) -> String? {
        if let buffer = buffers[path] { return buffer }
        guard let data = FileManager.default.contents(atPath: root + "/" + path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The files an answer is expected to change: the current file (empty when it does not exist
    /// yet), then every unsaved buffer.
    var editableFiles: [EditableFile] {
        var files: [EditableFile] = []
        if let file { files.append(EditableFile(path: file, text: text(of: file) ?? "")) }
        for path in buffers.keys.sorted() where path != file {
            files.append(EditableFile(path: path, text: buffers[path]!))
        }
        return files
    }

    /// The lines the request is about: the selection, else the cursor's line.
    var cursorRegion: CursorRegion? {
        guard let file else { return nil }
        if let selection { return CursorRegion(path: file, lines: selection.start.line...max(selection.start.line, selection.end.line)) }
        if let cursor { return CursorRegion(path: file, line: cursor.line) }
        return nil
    }

    /// The context engine's request for `prompt` within `budget`.
    func contextRequest(prompt: String, budget: TokenBudget, sessionID: String?) -> ContextRequest {
        ContextRequest(sessionID: sessionID, prompt: prompt, currentFile: file, cursor: cursor, selection: selection,
                       unsavedBuffers: buffers, budget: budget)
    }
}
