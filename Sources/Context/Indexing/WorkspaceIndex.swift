import FileWatching
import Foundation
import GRDB

/// The persistent index of one workspace root: files, chunks, symbols,
/// a BM25 retrieval index and workspace-wide reference counts.
///
/// Open it on a GRDB database whose migrator ran ``IndexSchema``'s
/// migrations, call ``build(progress:)`` once (a cold build indexes
/// everything; later builds only re-read what changed on disk), then keep
/// it current with ``update(changedPaths:)``. Queries (``search(_:limit:)``,
/// ``outline(of:)``, ``rankedSymbols(limit:)``) are synchronous, cheap and
/// safe to call from any thread, also while an update runs.
public final class WorkspaceIndex: Sendable {
    /// The workspace root (absolute, no trailing slash).
    public let root: String
    /// The configuration in force.
    public let configuration: IndexConfiguration
    let state = Protected(IndexState())
    let store: IndexStore
    let discovery: FileDiscovery
    private let gate = SerialGate()
    let rankingCache = Protected<(generation: Int, symbols: [RankedSymbol])?>(nil)
    /// Tags single changed files without starting a process each time.
    private let interactiveCtags: InteractiveCtags?

    /// Opens the index of `root` stored in `database`, loading what was persisted.
    /// - Throws: ``ContextError`` when the root is not a directory or the database is not migrated.
    public init(root: String, database: any DatabaseWriter, configuration: IndexConfiguration = .init()) throws {
        var root = (root as NSString).standardizingPath
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ContextError.notADirectory(root)
        }
        self.root = root
        self.configuration = configuration
        store = try IndexStore(database: database, root: root)
        discovery = FileDiscovery(root: root)
        interactiveCtags = configuration.useCtags && InteractiveCtags.unavailableReason == nil
            ? InteractiveCtags(executable: configuration.ctagsExecutable, root: root) : nil
        try restore()
    }

    private func restore() throws {
        let (terms, files) = try store.load()
        guard !terms.isEmpty else {
            if !files.isEmpty { try store.clear() }
            return
        }
        state.withLock { state in
            for term in terms { _ = state.retrieval.intern(term) }
            state.persistedTermCount = terms.count
            for file in files { state.restore(file) }
        }
    }

    /// Brings the index in line with the disk: discovers files, analyses new
    /// and changed ones, drops deleted and newly ignored ones. On an empty
    /// index this is the cold build. `progress` is called as batches finish.
    @discardableResult
    public func build(progress: IndexProgress? = nil) async throws -> IndexReport {
        try await gate.run { try await self.rebuild(progress: progress) }
    }

    /// Re-indexes the given files (absolute, or relative to the root): each
    /// is re-read, or dropped when it was deleted, became ignored, binary or
    /// too large. A directory stands for every file below it (a created or
    /// moved-in directory is scanned, a deleted one drops its files). A
    /// changed ignore file triggers a full ``build(progress:)``.
    @discardableResult
    public func update(changedPaths: [String]) async throws -> IndexReport {
        try await gate.run {
            let started = Date()
            var relative: [String] = []
            var ignoreFilesChanged = false
            for path in changedPaths {
                let normalized = try self.relativePath(path)
                let name = normalized.split(separator: "/").last.map(String.init) ?? normalized
                if BuiltInIgnores.ignoreFileNames.contains(name) {
                    let directory = normalized.contains("/") ? String(normalized[..<normalized.lastIndex(of: "/")!]) : ""
                    self.discovery.matcher.ignoreFileChanged(inDirectory: directory)
                    ignoreFilesChanged = true
                }
                relative.append(normalized)
            }
            // An ignore file or the root itself changed: everything may have.
            if ignoreFilesChanged || relative.contains("") { return try await self.rebuild(progress: nil) }
            relative = try self.expandDirectories(relative)
            var report = IndexReport()
            var jobs: [AnalysisJob] = []
            var removals: [String] = []
            let known = self.state.withLock { state in relative.map { state.files[$0] } }
            for (path, file) in zip(relative, known) {
                guard !self.discovery.isIgnored(path), let status = FileStatus.of(self.root + "/" + path) else {
                    if file != nil { removals.append(path) }
                    continue
                }
                if status.size > self.configuration.contentPolicy.maximumFileSize {
                    report.skipped[.tooLarge, default: 0] += 1
                    if file != nil { removals.append(path) }
                    continue
                }
                if let file, file.status == status {
                    report.unchanged += 1
                    continue
                }
                jobs.append(AnalysisJob(path: path, status: status, knownHash: file?.contentHash))
            }
            if jobs.count > self.configuration.batchSize {
                // Many files at once (a checkout, a rebase): the parallel path.
                try self.merge(BatchResult(), removals: removals, into: &report)
                try await self.process(jobs, into: &report, progress: nil)
            } else {
                let result = self.analyzer(interactive: true).run(jobs)
                try self.merge(result, removals: removals, into: &report)
            }
            report.seconds = Date().timeIntervalSince(started)
            return report
        }
    }

    /// Replaces directories (existing or deleted) by the files below them:
    /// the files found on disk plus the indexed ones under that prefix.
    private func expandDirectories(_ paths: [String]) throws -> [String] {
        var result: [String] = []
        var seen = Set<String>()
        for path in paths {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
            let indexedBelow = state.withLock { state in
                path.isEmpty ? [] : state.files.keys.filter { $0.hasPrefix(path + "/") }
            }
            if exists && isDirectory.boolValue {
                for file in try discovery.discover(under: path) + indexedBelow where seen.insert(file).inserted {
                    result.append(file)
                }
            } else {
                if seen.insert(path).inserted { result.append(path) }
                for file in indexedBelow where seen.insert(file).inserted { result.append(file) }
            }
        }
        return result
    }

    /// Normalises a caller's path to one relative to the root ("" for the root itself).
    func relativePath(_ path: String) throws -> String {
        let standardized = (path as NSString).standardizingPath
        if !path.hasPrefix("/") {
            guard standardized != "..", !standardized.hasPrefix("../") else {
                throw ContextError.outsideWorkspace(path: path, root: root)
            }
            return standardized == "." ? "" : standardized
        }
        if standardized == root { return "" }
        guard standardized.hasPrefix(root + "/") else { throw ContextError.outsideWorkspace(path: path, root: root) }
        return String(standardized.dropFirst(root.count + 1))
    }

    private func analyzer(interactive: Bool = false) -> BatchAnalyzer {
        let ctags = configuration.useCtags && CtagsRunner.unavailableReason == nil
            ? CtagsRunner(executable: configuration.ctagsExecutable) : nil
        return BatchAnalyzer(root: root, policy: configuration.contentPolicy, ctags: ctags,
                             interactive: interactive && ctags != nil ? interactiveCtags : nil, analyzer: FileAnalyzer())
    }

    private func rebuild(progress: IndexProgress?) async throws -> IndexReport {
        let started = Date()
        var report = IndexReport()
        if configuration.useCtags, let reason = CtagsRunner.unavailableReason { report.ctagsProblem = reason }
        progress?(0, 0, "discovering files in \(root)")
        let paths = try discovery.discover()
        let known = state.withLock { state in state.files.mapValues { ($0.status, $0.contentHash) } }
        var jobs: [AnalysisJob] = []
        var kept = Set<String>()
        kept.reserveCapacity(paths.count)
        for path in paths {
            guard let status = FileStatus.of(root + "/" + path) else { continue }
            if status.size > configuration.contentPolicy.maximumFileSize {
                report.skipped[.tooLarge, default: 0] += 1
                continue
            }
            kept.insert(path)
            if let (knownStatus, hash) = known[path] {
                if knownStatus == status { report.unchanged += 1 } else {
                    jobs.append(AnalysisJob(path: path, status: status, knownHash: hash))
                }
            } else {
                jobs.append(AnalysisJob(path: path, status: status, knownHash: nil))
            }
        }
        let removals = known.keys.filter { !kept.contains($0) }.sorted()
        try merge(BatchResult(), removals: removals, into: &report)
        progress?(0, jobs.count, "indexing \(jobs.count) files (\(report.unchanged) unchanged)")
        try await process(jobs, into: &report, progress: progress)
        state.withLock { $0.retrieval.compactIfNeeded() }
        report.seconds = Date().timeIntervalSince(started)
        progress?(jobs.count, jobs.count, "index ready: \(report.indexed) indexed, \(report.unchanged) unchanged, \(report.removed) removed")
        return report
    }

    /// Analyses `jobs` in batches, `configuration.concurrency` at a time,
    /// merging each batch as it finishes.
    private func process(_ jobs: [AnalysisJob], into report: inout IndexReport, progress: IndexProgress?) async throws {
        let total = jobs.count
        let batches = BatchAnalyzer.batches(jobs, batchSize: configuration.batchSize,
                                            ctagsBatchSize: configuration.ctagsBatchSize)
        let analyzer = self.analyzer()
        var done = 0
        try await withThrowingTaskGroup(of: (Int, BatchResult).self) { group in
            var next = 0
            func launch() {
                guard next < batches.count else { return }
                let batch = batches[next]
                next += 1
                group.addTask { (batch.count, analyzer.run(batch)) }
            }
            for _ in 0..<max(1, configuration.concurrency) { launch() }
            while let (count, result) = try await group.next() {
                launch()
                try merge(result, removals: [], into: &report)
                done += count
                progress?(done, total, "indexed \(done) of \(total) files")
            }
        }
    }

    /// Applies a batch to memory, then persists it.
    private func merge(_ result: BatchResult, removals: [String], into report: inout IndexReport) throws {
        if report.ctagsProblem == nil, let problem = result.ctagsProblem { report.ctagsProblem = problem }
        var dropped = removals
        for (path, reason) in result.skipped {
            report.skipped[reason, default: 0] += 1
            dropped.append(path)
        }
        let (rows, removed, terms, termCount) = state.withLock { state in
            var removed: [String] = []
            for path in dropped where state.remove(path) { removed.append(path) }
            for (path, status) in result.unchanged { state.touch(path, status: status) }
            let rows = result.analyses.map { state.insert($0) }
            let terms = state.unpersistedTermBlocks()
            let termCount = state.retrieval.vocabulary.count
            state.retrieval.compactIfNeeded()
            return (rows, removed, terms, termCount)
        }
        report.removed += removed.count
        report.indexed += rows.count
        report.unchanged += result.unchanged.count
        try store.write(upserts: rows, removals: removed, termBlocks: terms)
        try store.updateStatuses(result.unchanged)
        state.withLock { $0.persistedTermCount = max($0.persistedTermCount, termCount) }
    }
}
