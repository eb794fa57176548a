import Foundation
import Testing

@testable import Context

extension Tag {
    /// Slow measurements over a large corpus; run on demand (see ``ContextBenchmark``).
    @Tag static var benchmark: Self
}

/// Measures the context engine on a large corpus.
///
/// Set `AID_CONTEXT_BENCH_CORPUS` to a directory (≥ 1M lines, e.g. several
/// Swift packages extracted with `git archive TAG | tar -x`) and run in release:
///
///     for repo in swift-syntax:603.0.1 swift-nio:2.101.3 swift-crypto:4.5.2 swift-collections:1.6.0 \
///                 swift-certificates:1.21.1 swift-argument-parser:1.8.2; do
///         name=${repo%%:*}; mkdir -p /tmp/corpus1m/$name
///         git -C /opt/swift-packages/apple/$name.git archive ${repo#*:} | tar -x -C /tmp/corpus1m/$name
///     done
///     (cd /tmp/corpus1m && git init -q && git add -A && git commit -qm corpus)   # optional: exercises git ls-files
///     AID_CONTEXT_BENCH_CORPUS=/tmp/corpus1m swift test -c release -Xswiftc -enable-testing \
///         --filter ContextBenchmark
///
/// Figures are printed, not asserted.
@Suite("Context benchmark", .tags(.benchmark),
       .enabled(if: ProcessInfo.processInfo.environment["AID_CONTEXT_BENCH_CORPUS"] != nil,
                "set AID_CONTEXT_BENCH_CORPUS to a large source tree to run the benchmark"))
struct ContextBenchmark {
    static var corpus: String { ProcessInfo.processInfo.environment["AID_CONTEXT_BENCH_CORPUS"] ?? "" }

    @Test func coldIndexQueriesAndReindex() async throws {
        let databasePath = NSTemporaryDirectory() + "aid-bench-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) } }
        let database = try IndexDatabase.open(path: databasePath)
        let index = try WorkspaceIndex(root: Self.corpus, database: database)
        let rssBefore = MemoryProbe.residentMegabytes()
        let started = Date()
        let report = try await index.build()
        let cold = Date().timeIntervalSince(started)
        let statistics = index.statistics()
        print(String(format: "benchmark cold index: %.2f s for %d files, %d lines (%d chunks, %d symbols, %d terms, %d postings); skipped %@; ctags: %@",
                     cold, statistics.files, statistics.lines, statistics.chunks, statistics.symbols, statistics.terms,
                     statistics.postings, "\(report.skipped)", report.ctagsProblem ?? "ok"))
        print(String(format: "benchmark RSS: %.0f MB before, %.0f MB after cold index (peak %.0f MB)",
                     rssBefore, MemoryProbe.residentMegabytes(), MemoryProbe.peakMegabytes()))

        // Warm restart: load from the database.
        let reopenStart = Date()
        let reopened = try WorkspaceIndex(root: Self.corpus, database: database)
        let reopenLoad = Date().timeIntervalSince(reopenStart)
        let warmBuildStart = Date()
        let warmReport = try await reopened.build()
        print(String(format: "benchmark warm restart: load %.2f s, rescan %.2f s (%d unchanged, %d indexed)",
                     reopenLoad, Date().timeIntervalSince(warmBuildStart), warmReport.unchanged, warmReport.indexed))

        // Retrieval queries side by side with rg.
        for query in ["ByteBuffer writeInteger", "TLS certificate verification", "parseExpression"] {
            var timings: [Double] = []
            var hits: [SearchHit] = []
            for _ in 0..<20 {
                let start = Date()
                hits = index.search(query, limit: 10)
                timings.append(Date().timeIntervalSince(start) * 1000)
            }
            timings.sort()
            let words = query.split(separator: " ").map(String.init)
            let rgStart = Date()
            let rg = try? ProcessRunner.run("rg", ["-i", "-l", "-e", words.joined(separator: "|"), Self.corpus])
            let rgTime = Date().timeIntervalSince(rgStart) * 1000
            let rgFiles = rg.map { String(decoding: $0.stdout, as: UTF8.self).split(separator: "\n").count } ?? -1
            print(String(format: "benchmark query \"%@\": index p50 %.2f ms (top: %@) | rg -il %.1f ms, %d files matched, unranked",
                         query, timings[timings.count / 2], hits.prefix(3).map { "\($0.path):\($0.startLine)" }.joined(separator: ", "),
                         rgTime, rgFiles))
        }

        // Re-index of one changed file.
        let target = index.indexedPaths().first { $0.hasSuffix("ByteBuffer-core.swift") } ?? index.indexedPaths()[0]
        let original = try String(contentsOfFile: Self.corpus + "/" + target, encoding: .utf8)
        defer { try? original.write(toFile: Self.corpus + "/" + target, atomically: false, encoding: .utf8) }
        var reindex: [Double] = []
        for round in 0..<10 {
            try (original + "\n// edit \(round)\nfunc benchmarkEdit\(round)() {}\n")
                .write(toFile: Self.corpus + "/" + target, atomically: false, encoding: .utf8)
            let start = Date()
            try await index.update(changedPaths: [target])
            reindex.append(Date().timeIntervalSince(start) * 1000)
        }
        reindex.sort()
        print(String(format: "benchmark re-index %@ (%d lines): p50 %.2f ms, max %.2f ms", target,
                     original.split(separator: "\n", omittingEmptySubsequences: false).count, reindex[5], reindex[9]))
        #expect(index.search("benchmarkEdit9").first?.path == target)

        // A typical file: the median-sized Swift source.
        let swiftFiles = index.indexedPaths().filter { $0.hasSuffix(".swift") }
            .compactMap { path in FileStatus.of(Self.corpus + "/" + path).map { (path, $0.size) } }
            .sorted { $0.1 < $1.1 }
        let (typical, typicalSize) = swiftFiles[swiftFiles.count / 2]
        let typicalOriginal = try String(contentsOfFile: Self.corpus + "/" + typical, encoding: .utf8)
        defer { try? typicalOriginal.write(toFile: Self.corpus + "/" + typical, atomically: false, encoding: .utf8) }
        var typicalTimes: [Double] = []
        for round in 0..<10 {
            try (typicalOriginal + "\nfunc typicalEdit\(round)() {}\n")
                .write(toFile: Self.corpus + "/" + typical, atomically: false, encoding: .utf8)
            let start = Date()
            try await index.update(changedPaths: [typical])
            typicalTimes.append(Date().timeIntervalSince(start) * 1000)
        }
        typicalTimes.sort()
        print(String(format: "benchmark re-index typical file %@ (%d bytes, %d lines): p50 %.2f ms, max %.2f ms", typical, typicalSize,
                     SourceReader.lineCount(typicalOriginal), typicalTimes[5], typicalTimes[9]))

        let cTarget = index.indexedPaths().first { $0.hasSuffix(".c") || $0.hasSuffix(".cc") }
        if let cTarget {
            let cOriginal = try String(contentsOfFile: Self.corpus + "/" + cTarget, encoding: .utf8)
            defer { try? cOriginal.write(toFile: Self.corpus + "/" + cTarget, atomically: false, encoding: .utf8) }
            var timings: [Double] = []
            for round in 0..<5 {
                try (cOriginal + "\nint bench_edit_\(round)(void) { return 0; }\n")
                    .write(toFile: Self.corpus + "/" + cTarget, atomically: false, encoding: .utf8)
                let start = Date()
                try await index.update(changedPaths: [cTarget])
                timings.append(Date().timeIntervalSince(start) * 1000)
            }
            timings.sort()
            print(String(format: "benchmark re-index %@ (ctags): p50 %.2f ms, max %.2f ms", cTarget, timings[2], timings[4]))
        }
        // Warm previews with the exact tokenizer (the default providers, no diagnostics).
        let counter: any TokenCounter = TiktokenReference.loadedTokenizer ?? ApproximateTokenCounter()
        let engine = ContextEngine(index: index, tokenCounter: counter)
        let prompts = ["fix the writeInteger overflow when the buffer grows", "why does readSlice return nil here",
                       "add a test for reserveCapacity", "document the copy-on-write behaviour of ByteBuffer",
                       "make moveReaderIndex safer"]
        var request = ContextRequest(sessionID: "bench", prompt: prompts[0], instructions: "You edit Swift code. Reply with a unified diff.",
                                     currentFile: target, cursor: Position(line: 400))
        _ = try await engine.pack(request)
        var previews: [Double] = []
        var lastPacked: PackedContext?
        for round in 0..<100 {
            request.prompt = prompts[round % prompts.count]
            request.cursor = Position(line: 300 + (round % 7) * 50)
            let start = Date()
            lastPacked = try await engine.pack(request)
            previews.append(Date().timeIntervalSince(start) * 1000)
        }
        previews.sort()
        if let lastPacked {
            print(String(format: "benchmark preview (%@): p50 %.2f ms, p99 %.2f ms, max %.2f ms; last: %d items, %d tokens, stable prefix %d, shared with previous %d",
                         counter.name, previews[49], previews[98], previews[99], lastPacked.items.count, lastPacked.totalTokens,
                         lastPacked.stableTokens, lastPacked.sharedPrefixTokens ?? -1))
            print("benchmark preview items: " + lastPacked.items.map { "\($0.kind.rawValue):\($0.tokenCount)" }.joined(separator: " "))
            for item in lastPacked.items where item.kind == .relatedFile || item.kind == .retrieval || item.kind == .cursor {
                print("benchmark   \(item.title): \(item.reason)")
            }
            if let map = lastPacked.items.first(where: { $0.kind == .repoMap }) {
                print("benchmark repo map (first lines):\n" + map.text.split(separator: "\n").prefix(14).joined(separator: "\n"))
            }
        }

        // Tokenizer throughput and the fallback's error against the exact BPE.
        if let bpe = TiktokenReference.loadedTokenizer {
            let sample = index.indexedPaths().filter { $0.hasSuffix(".swift") || $0.hasSuffix(".cc") || $0.hasSuffix(".h") || $0.hasSuffix(".md") }
                .enumerated().filter { $0.offset % 10 == 0 }.map(\.element)
            var exactTotal = 0, estimateTotal = 0, bytes = 0
            var errors: [Double] = []
            var bpeSeconds = 0.0
            let estimator = ApproximateTokenCounter()
            for path in sample {
                guard let text = try? String(contentsOfFile: Self.corpus + "/" + path, encoding: .utf8), text.utf8.count > 2000 else { continue }
                let start = Date()
                let exact = bpe.count(text)
                bpeSeconds += Date().timeIntervalSince(start)
                let estimate = estimator.count(text)
                exactTotal += exact
                estimateTotal += estimate
                bytes += text.utf8.count
                errors.append(abs(Double(estimate - exact)) / Double(exact))
            }
            errors.sort()
            print(String(format: "benchmark tokenizer: BPE %.1f MB/s (%d files, %d tokens); fallback error overall %+.2f%%, per-file median %.1f%%, p90 %.1f%%, max %.1f%%",
                         Double(bytes) / 1e6 / bpeSeconds, errors.count, exactTotal,
                         Double(estimateTotal - exactTotal) / Double(exactTotal) * 100, errors[errors.count / 2] * 100,
                         errors[errors.count * 9 / 10] * 100, errors.last! * 100))
        }

        let rankStart = Date()
        let ranked = index.rankedSymbols(limit: 20)
        print(String(format: "benchmark repo map ranking: %.1f ms; top: %@", Date().timeIntervalSince(rankStart) * 1000,
                     ranked.prefix(8).map { "\($0.symbol.name)(\($0.referencingFiles))" }.joined(separator: ", ")))
        print(String(format: "benchmark RSS at end: %.0f MB (peak %.0f MB)", MemoryProbe.residentMegabytes(), MemoryProbe.peakMegabytes()))
    }
}

/// Reads the process's memory figures from /proc.
enum MemoryProbe {
    static func residentMegabytes() -> Double { field("VmRSS:") }
    static func peakMegabytes() -> Double { field("VmHWM:") }

    private static func field(_ name: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return -1 }
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? -1
        return kilobytes / 1024
    }
}
