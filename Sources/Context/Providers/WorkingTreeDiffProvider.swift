import Foundation

/// Uncommitted changes (`git diff HEAD`), one item per file, each capped in size.
///
/// The diff is cached until the index changes (the daemon reports file
/// changes to it) or ``maximumAge`` passes.
public final class WorkingTreeDiffProvider: ContextProvider, Sendable {
    public let name = "diff"
    let index: WorkspaceIndex
    /// Lines kept per file's diff.
    public let maximumLinesPerFile: Int
    /// Seconds a cached diff is trusted without an index change.
    public let maximumAge: TimeInterval
    private let cache = Protected<(generation: Int, time: Date, files: [(String, String)])?>(nil)
    private let refreshing = Protected(false)

    public init(index: WorkspaceIndex, maximumLinesPerFile: Int = 150, maximumAge: TimeInterval = 2) {
        self.index = index
        self.maximumLinesPerFile = maximumLinesPerFile
        self.maximumAge = maximumAge
    }

    public func items(for request: ContextRequest) async throws -> [ContextItem] {
        guard FileManager.default.fileExists(atPath: index.root + "/.git") else { return [] }
        let files = try diffByFile()
        return files.map { path, patch in
            ContextItem(provider: name, kind: .workingTreeDiff, path: path, text: patch,
                        reason: "Uncommitted changes to this file in the working tree.", priority: ContextPriority.diff,
                        stability: .volatile)
        }
    }

    /// (path, patch) per changed file, sorted by path. After an index change
    /// the diff is recomputed at once; when it is merely old, the old one is
    /// returned and a fresh one computed in the background, so that
    /// previews do not wait for git.
    func diffByFile() throws -> [(String, String)] {
        let generation = index.generation
        if let cached = cache.withLock({ $0 }), cached.generation == generation {
            if Date().timeIntervalSince(cached.time) >= maximumAge, refreshing.withLock({ busy in
                defer { busy = true }
                return !busy
            }) {
                Task.detached { [self] in
                    _ = try? self.computeDiff(generation: generation)
                    self.refreshing.withLock { $0 = false }
                }
            }
            return cached.files
        }
        return try computeDiff(generation: generation)
    }

    private func computeDiff(generation: Int) throws -> [(String, String)] {
        var output = try ProcessRunner.run("git", ["-C", index.root, "diff", "HEAD", "--no-color", "--no-ext-diff"])
        if output.status != 0 {
            // No commit yet: compare with the index instead.
            output = try ProcessRunner.run("git", ["-C", index.root, "diff", "--no-color", "--no-ext-diff"])
        }
        guard output.status == 0 else {
            throw ContextError.toolFailed("git diff", status: output.status, message: output.errorText)
        }
        let files = split(String(decoding: output.stdout, as: UTF8.self))
        cache.withLock { $0 = (generation, Date(), files) }
        return files
    }

    private func split(_ patch: String) -> [(String, String)] {
        var files: [(String, String)] = []
        var current: [Substring] = []
        var path: String?
        func flush() {
            guard let path, !current.isEmpty else { return }
            var lines = current
            if lines.count > maximumLinesPerFile {
                let omitted = lines.count - maximumLinesPerFile
                lines = Array(lines.prefix(maximumLinesPerFile)) + ["… \(omitted) more diff lines omitted"]
            }
            files.append((path, lines.joined(separator: "\n")))
        }
        for line in patch.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("diff --git ") {
                flush()
                current = []
                // diff --git a/path b/path
                path = line.split(separator: " ").last.map { String($0.dropFirst(2)) }
            }
            if path != nil, !(line.isEmpty && current.isEmpty) { current.append(line) }
        }
        flush()
        return files.sorted { $0.0 < $1.0 }
    }
}
