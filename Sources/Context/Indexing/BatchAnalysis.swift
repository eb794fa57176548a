import Foundation

/// A file to (re-)analyse.
struct AnalysisJob: Sendable {
    var path: String
    var status: FileStatus
    /// Hash of the indexed contents, when the file is already indexed.
    var knownHash: UInt64?
}

/// The outcome of analysing a batch of files.
struct BatchResult: Sendable {
    var analyses: [FileAnalysis] = []
    /// Files whose contents turned out unchanged (only their status moved).
    var unchanged: [(String, FileStatus)] = []
    var skipped: [(String, SkipReason)] = []
    var ctagsProblem: String?
}

/// Reads, filters and analyses files; runs ctags once per batch.
struct BatchAnalyzer: Sendable {
    let root: String
    let policy: FileContentPolicy
    let ctags: CtagsRunner?
    /// Used instead of a ctags run when a batch has only a few tagged files.
    let interactive: InteractiveCtags?
    let analyzer: FileAnalyzer

    func run(_ jobs: [AnalysisJob]) -> BatchResult {
        var result = BatchResult()
        var loaded: [(AnalysisJob, Data, Language)] = []
        for job in jobs {
            guard let data = FileManager.default.contents(atPath: root + "/" + job.path) else {
                result.skipped.append((job.path, .unreadable))
                continue
            }
            if let reason = policy.rejection(size: data.count, data: data) {
                result.skipped.append((job.path, reason))
                continue
            }
            if let known = job.knownHash, data.withUnsafeBytes({ FileAnalyzer.hash($0.bindMemory(to: UInt8.self)) }) == known {
                result.unchanged.append((job.path, FileStatus(size: data.count, modified: job.status.modified)))
                continue
            }
            loaded.append((job, data, Language(path: job.path)))
        }
        var tags: [String: [CtagsRunner.Tag]] = [:]
        let tagged = loaded.filter { $0.2.usesCtags }.map(\.0.path)
        if let ctags, !tagged.isEmpty {
            if let interactive, tagged.count <= 4 {
                for (job, data, language) in loaded where language.usesCtags {
                    tags[job.path] = try? interactive.tags(path: job.path, data: data)
                }
            }
            let missing = tagged.filter { tags[$0] == nil }
            if !missing.isEmpty {
                do {
                    tags.merge(try ctags.tags(for: missing, root: root)) { new, _ in new }
                } catch {
                    result.ctagsProblem = "\(error)"
                }
            }
        }
        for (job, data, language) in loaded {
            let fileTags = language.usesCtags && ctags != nil && result.ctagsProblem == nil ? tags[job.path] ?? [] : nil
            result.analyses.append(analyzer.analyze(path: job.path, language: language, data: data,
                                                    modified: job.status.modified, tags: fileTags))
        }
        return result
    }

    /// Splits jobs into batches: ctags languages in large batches (one ctags
    /// run each), the rest in smaller ones, interleaved so both kinds of
    /// work proceed at once.
    static func batches(_ jobs: [AnalysisJob], batchSize: Int, ctagsBatchSize: Int) -> [[AnalysisJob]] {
        var tagged: [[AnalysisJob]] = [], plain: [[AnalysisJob]] = []
        var currentTagged: [AnalysisJob] = [], currentPlain: [AnalysisJob] = []
        for job in jobs {
            if Language(path: job.path).usesCtags {
                currentTagged.append(job)
                if currentTagged.count >= ctagsBatchSize { tagged.append(currentTagged); currentTagged = [] }
            } else {
                currentPlain.append(job)
                if currentPlain.count >= batchSize { plain.append(currentPlain); currentPlain = [] }
            }
        }
        if !currentTagged.isEmpty { tagged.append(currentTagged) }
        if !currentPlain.isEmpty { plain.append(currentPlain) }
        // Start ctags batches early: each holds a process, the rest fill in.
        var result: [[AnalysisJob]] = []
        var taggedIndex = 0, plainIndex = 0
        let ratio = max(1, plain.count / max(1, tagged.count))
        while taggedIndex < tagged.count || plainIndex < plain.count {
            if taggedIndex < tagged.count { result.append(tagged[taggedIndex]); taggedIndex += 1 }
            for _ in 0..<ratio where plainIndex < plain.count {
                result.append(plain[plainIndex])
                plainIndex += 1
            }
        }
        return result
    }
}
