import Foundation
import Testing

@testable import FileWatching

@Suite("Watcher benchmark")
struct WatchBenchmarkTests {
    /// Builds a 20 × 10 directory tree with a few files each, watches it and
    /// reports how long registering the watches took. Small enough for CI;
    /// the printed figures show how setup scales (roughly linearly in the
    /// number of directories).
    @Test func setupTimeAndWatchCount() async throws {
        let tree = try TemporaryTree()
        defer { tree.remove() }
        for top in 0..<20 {
            for inner in 0..<10 {
                for file in 0..<3 { try tree.write("m\(top)/d\(inner)/f\(file).swift", "") }
            }
        }
        try tree.write(".gitignore", "m19/\n")
        let watcher = FileWatcher(root: tree.root)
        defer { watcher.stop() }
        let stats = try await watcher.start()
        // Root + 19 top-level directories × (1 + 10 inner) — m19 is ignored.
        #expect(stats.watchedDirectories == 1 + 19 * 11)
        let milliseconds = Double(stats.setupDuration.components.attoseconds) / 1e15
            + Double(stats.setupDuration.components.seconds) * 1000
        print("FileWatcher benchmark: watched \(stats.watchedDirectories) directories in \(String(format: "%.2f", milliseconds)) ms")
        #expect(stats.setupDuration < .seconds(10))
    }
}
