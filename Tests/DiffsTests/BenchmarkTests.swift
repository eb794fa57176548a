import Foundation
import Testing
@testable import Diffs

extension Tag {
    /// Cheap timing runs; a benchmark command can select them by this tag.
    @Tag static var benchmark: Self
}

/// A small, repeatable timing of parsing and applying a real multi-file diff.
@Suite(
    "Benchmark",
    .enabled(if: GitCorpus.isAvailable, "the bare repositories under /opt/swift-packages are not present"))
struct BenchmarkTests {
    @Test(.tags(.benchmark)) func benchmarkCorpusApply() throws {
        let loaded = try GitCorpus.sharedSmallPairs.get()
        let pair = try #require(loaded.first { $0.pair.repository == "apple/swift-nio" })
        let files = pair.files.filter { !$0.patch.isBinary && $0.oldText != nil }
        let inputs = files.map { ($0.patch, $0.oldText!) }
        let applier = PatchApplier()
        let rounds = 3
        var hunks = 0
        let started = Date()
        for _ in 0..<rounds {
            let patches = try UnifiedDiffParser().parse(pair.diffText)
            #expect(patches.count == pair.files.count)
            for (patch, oldText) in inputs {
                hunks += try applier.apply(patch, to: oldText).hunks.count
            }
        }
        let seconds = Date().timeIntervalSince(started)
        let bytes = Double(pair.diffText.utf8.count + inputs.reduce(0) { $0 + $1.1.utf8.count }) * Double(rounds)
        print(String(
            format: "benchmarkCorpusApply: %@ — %d rounds, %d files, %d hunks in %.3f s (%.1f MB/s parsed+applied)",
            pair.pair.description, rounds, inputs.count, hunks, seconds, bytes / seconds / 1_000_000))
    }
}
