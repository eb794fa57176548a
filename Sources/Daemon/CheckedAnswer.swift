import AidProtocol
import Diffs
import Foundation
import Prompts

/// A model's answer read with a strategy's parser and applied in memory to the text the daemon
/// saw (unsaved buffers over the disk): the files it changes with their whole-line edits and a
/// clean diff, or why it does not apply.
struct CheckedAnswer: Sendable {
    /// The edits as parsed (empty when the answer could not be read).
    var patches: [FilePatch]
    /// The change to each file, when the answer applies.
    var files: [ProposedFile]
    /// A git-style diff of the change (when it applies), else of the parsed edits.
    var diff: String
    /// Why the answer cannot be used, as a sentence fit to send back to the model; nil when it applies.
    var error: String?

    var applies: Bool { error == nil }

    /// Reads `text` with `strategy` and applies it to `state`'s files.
    static func check(_ text: String, strategy: PromptStrategy, files: [EditableFile], state: EditorState) -> CheckedAnswer {
        let parsed: ParsedEdits
        do {
            parsed = try strategy.parse(text, files: files)
        } catch {
            return CheckedAnswer(patches: [], files: [], diff: "", error: error.description)
        }
        guard !parsed.filePatches.isEmpty else {
            return CheckedAnswer(patches: [], files: [], diff: "", error: "The answer contains no edits: expected \(strategy.parser.formatDescription).")
        }
        return check(parsed.filePatches, state: state)
    }

    /// Applies `patches` in memory to `state`'s files.
    static func check(_ patches: [FilePatch], state: EditorState) -> CheckedAnswer {
        let result: WorkspacePatchResult
        do {
            let patcher = try WorkspacePatcher(root: URL(fileURLWithPath: state.root))
            result = try patcher.apply(patches, overlay: state.buffers, dryRun: true)
        } catch {
            return CheckedAnswer(patches: patches, files: [], diff: UnifiedDiffWriter.text(of: patches), error: "\(error)")
        }
        let changes = FileChangeSummary.merge(result.files)
        guard !changes.isEmpty else {
            return CheckedAnswer(patches: patches, files: [], diff: "", error: "The answer's edits change nothing: every file would stay as it is. Give the change that was asked for.")
        }
        return CheckedAnswer(patches: patches, files: changes.map(\.proposedFile), diff: changes.map(\.diff).joined(), error: nil)
    }
}

/// The net change to one file over every patch of an answer that touches it.
struct FileChangeSummary: Sendable {
    var path: String
    var oldPath: String?
    var status: String
    var originalText: String?
    var newText: String?

    /// One summary per file, in the order first touched; files left unchanged are dropped.
    static func merge(_ changes: [WorkspaceFileChange]) -> [FileChangeSummary] {
        var order: [String] = []
        var byPath: [String: FileChangeSummary] = [:]
        for change in changes {
            var oldPath: String?
            let status: String
            switch change.action {
            case .modified: status = "modified"
            case .created, .copied: status = "added"
            case .deleted: status = "deleted"
            case .renamed(let from): status = "renamed"; oldPath = from
            }
            if var known = byPath[change.path] {
                known.newText = change.newText
                if status == "deleted" { known.status = known.originalText == nil ? "unchanged" : "deleted" }
                byPath[change.path] = known
            } else {
                order.append(change.path)
                byPath[change.path] = FileChangeSummary(path: change.path, oldPath: oldPath, status: status,
                                                        originalText: change.originalText, newText: change.newText)
            }
        }
        return order.compactMap { byPath[$0] }.filter { summary in
            summary.status != "unchanged" && !(summary.originalText == summary.newText && summary.oldPath == nil)
        }
    }

    var proposedFile: ProposedFile {
        ProposedFile(path: path, oldPath: oldPath, status: status,
                     edits: WholeLineEdits.edits(from: originalText ?? "", to: newText ?? ""), newText: newText)
    }

    /// The git-style diff from the original text to the new one.
    var diff: String {
        UnifiedDiffWriter.text(of: UnifiedDiffWriter.filePatch(oldText: originalText, newText: newText,
                                                               oldPath: oldPath ?? path, newPath: path))
    }
}
