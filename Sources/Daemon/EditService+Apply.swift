import AidProtocol
import AidStore
import Diffs
import Foundation
import JSONRPC

extension EditService {
    /// `edit/apply`: applies a recorded proposal or a diff to the files on disk, all of them or
    /// none, confined to the workspace; a dry run only checks. A real apply is linked to the
    /// workspace's next build.
    func apply(_ params: EditApplyRequest, context: RequestContext) throws -> EditApplyResult {
        let dryRun = params.dryRun ?? false
        var diff: String
        var root: String
        switch (params.proposalId, params.diff) {
        case (let id?, nil):
            guard let proposal = try records.proposal(id: id) else {
                throw ResponseError(.proposalUnknown, "no proposal \(id) is recorded; use the proposalId of an edit/propose or chat/send result, or send the diff itself",
                                    data: .object(["proposalId": .string(id)]))
            }
            guard !proposal.diff.isEmpty else {
                throw ResponseError(.diffDoesNotApply, "proposal \(id) holds no change to apply: \(proposal.applyError ?? "its answer had no edits")",
                                    data: .object(["path": .null, "hunk": .null, "reason": .string(proposal.applyError ?? "empty diff")]))
            }
            diff = proposal.diff
            root = try params.workspaceRoot.map { try EditorState.workspaceRoot($0, connection: context.connection, method: EditApplyRequest.method) }
                ?? proposal.workspace
        case (nil, let text?):
            diff = text
            root = try EditorState.workspaceRoot(params.workspaceRoot, connection: context.connection, method: EditApplyRequest.method)
        default:
            throw ResponseError(.invalidParams, "edit/apply takes params.proposalId or params.diff (exactly one of them)")
        }
        var patches: [FilePatch]
        do {
            patches = try UnifiedDiffParser().parse(diff)
        } catch {
            throw ResponseError(.invalidParams, "params.diff is not a unified diff: \(error.description)")
        }
        if let wanted = params.paths {
            patches = try Self.select(patches, paths: wanted)
        }
        guard !patches.isEmpty else {
            throw ResponseError(.invalidParams, "params.diff changes no file; send a unified diff with ---/+++ headers and hunks")
        }
        let event = { (paths: [String], error: ResponseError?) in
            ApplyEventRecord(proposalId: params.proposalId, workspace: root, appliedAt: Date().timeIntervalSince1970, dryRun: dryRun,
                             paths: Self.jsonArray(paths), errorCode: error?.code.rawValue, errorMessage: error?.message)
        }
        let result: WorkspacePatchResult
        do {
            let patcher = try WorkspacePatcher(root: URL(fileURLWithPath: root))
            result = try patcher.apply(patches, dryRun: dryRun)
        } catch {
            let answer = Self.responseError(error)
            recordQuietly(event(patches.map(\.displayPath), answer), context: context)
            throw answer
        }
        let files = FileChangeSummary.merge(result.files).map { EditApplyResult.AppliedFile(path: $0.path, status: $0.status) }
        recordQuietly(event(files.map(\.path), nil), context: context)
        if !dryRun {
            do {
                try buildHistory.recordAppliedChange(workspace: root, source: "edit/apply", proposalId: params.proposalId)
            } catch {
                context.logger.error("Could not record the applied change in \(root): \(error)")
            }
        }
        return EditApplyResult(applied: !dryRun, dryRun: dryRun, files: files)
    }

    /// The patches of `paths` only; -32602 naming a path the diff does not change.
    static func select(_ patches: [FilePatch], paths: [String]) throws -> [FilePatch] {
        let normalized = Set(paths.map(Self.normalized))
        let known = Set(patches.flatMap { [$0.oldPath, $0.newPath].compactMap { $0 } })
        if let stranger = paths.first(where: { !known.contains(Self.normalized($0)) }) {
            throw ResponseError(.invalidParams, "params.paths names \(stranger), which the diff does not change; it changes \(known.sorted().joined(separator: ", "))")
        }
        return patches.filter { patch in
            [patch.oldPath, patch.newPath].compactMap { $0 }.contains { normalized.contains($0) }
        }
    }

    private static func normalized(_ path: String) -> String {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        return path
    }

    /// The protocol's answer for a failed workspace patch.
    static func responseError(_ error: any Error) -> ResponseError {
        if let error = error as? PathConfinementError {
            return ResponseError(.pathOutsideWorkspace, error.description, data: .object(["path": .string(error.path)]))
        }
        guard let error = error as? WorkspacePatchError else {
            return ResponseError(.internalError, "applying the diff failed: \(error)")
        }
        switch error.reason {
        case .unsafePath(let confinement):
            return ResponseError(.pathOutsideWorkspace, error.description, data: .object(["path": .string(confinement.path)]))
        case .patchDoesNotApply(let applyError):
            return ResponseError(.diffDoesNotApply, error.description, data: .object([
                "path": .string(error.path), "hunk": applyError.hunkIndex.map { .int($0 + 1) } ?? .null,
                "reason": .string(applyError.description),
            ]))
        case .writeFailed:
            return ResponseError(.internalError, error.description, data: .object(["path": .string(error.path)]))
        default:
            return ResponseError(.diffDoesNotApply, error.description, data: .object([
                "path": .string(error.path), "hunk": .null, "reason": .string(error.description),
            ]))
        }
    }

    func recordQuietly(_ event: ApplyEventRecord, context: RequestContext) {
        do {
            try records.recordApply(event)
        } catch {
            context.logger.error("Could not record an apply: \(error)")
        }
    }

    static func jsonArray(_ strings: [String]) -> String {
        JSONWriter.string(.array(strings.map { .string($0) }))
    }
}
