import AidProtocol
import Foundation
import Testing
@testable import Builds

/// Which file-system changes start a build, at the level of one workspace monitor.
@Suite("Monitor: changes that start builds")
struct WatchTriggerTests {
    static let command = "echo run >> out/runs"

    @Test func anEditorsAtomicRenameSaveStartsABuild() async throws {
        try await withHarness(command: Self.command, prepare: { try $0.write("src/main.txt", "one\n") }) { harness in
            try await harness.startAndAwaitFirstBuild()
            try harness.workspace.saveAtomically("src/main.txt", "two\n")
            let started = try await harness.started(run: 2)
            #expect(started.reason == .change)
            #expect(started.paths.contains("src/main.txt"), "\(started.paths)")
            #expect(try await harness.finished(run: 2).state == .green)
        }
    }

    @Test func aNewDirectoryWithFilesStartsABuildAndIsWatchedFromThenOn() async throws {
        try await withHarness(command: Self.command) { harness in
            try await harness.startAndAwaitFirstBuild()
            try harness.workspace.write("src/fresh/deeper/file.txt", "new\n")
            let started = try await harness.started(run: 2)
            #expect(started.paths.contains { $0.hasPrefix("src/fresh") }, "\(started.paths)")
            _ = try await harness.finished(run: 2)
            // The new directories are watched: a change inside them starts the next build.
            try harness.workspace.write("src/fresh/deeper/file.txt", "changed\n")
            let next = try await harness.started(run: 3)
            #expect(next.paths == ["src/fresh/deeper/file.txt"])
            _ = try await harness.finished(run: 3)
        }
    }

    @Test func aDeletedDirectoryStartsABuild() async throws {
        try await withHarness(command: Self.command, prepare: { workspace in
            try workspace.write("src/old/a.txt", "a\n")
            try workspace.write("src/old/inner/b.txt", "b\n")
        }) { harness in
            try await harness.startAndAwaitFirstBuild()
            try harness.workspace.remove("src/old")
            let started = try await harness.started(run: 2)
            #expect(started.paths.contains { $0 == "src/old" || $0.hasPrefix("src/old/") }, "\(started.paths)")
            _ = try await harness.finished(run: 2)
        }
    }

    @Test func changesInIgnoredAndOutputDirectoriesStartNoBuild() async throws {
        try await withHarness(command: Self.command) { harness in
            try await harness.startAndAwaitFirstBuild()
            // First the changes that must be ignored, then a real one.
            try harness.workspace.write("ignored/junk.txt", "junk\n")
            try harness.workspace.write("ignored/sub/more.txt", "junk\n")
            try harness.workspace.write("out/artifact.txt", "junk\n")
            try harness.workspace.write("src/real.txt", "real\n")
            let started = try await harness.started(run: 2)
            #expect(started.paths == ["src/real.txt"], "only the real change triggers: \(started.paths)")
            #expect(try await harness.finished(run: 2).state == .green)
            // Exactly two builds ran (the first, and one for the real change); the watcher never
            // reported anything below the ignored directories.
            #expect(harness.startedRuns.map(\.run) == [1, 2])
            #expect(lines(harness.workspace.read("out/runs")).count == 2)
            let reported = harness.events.all.compactMap(\.changedPaths).flatMap { $0 }
            #expect(!reported.contains { $0.hasPrefix("ignored") || $0.hasPrefix("out") }, "\(reported)")
        }
    }

    @Test func aBurstOfChangesWithinTheDebouncePeriodMakesOneBuild() async throws {
        let debounce = Duration.milliseconds(400)
        try await withHarness(command: Self.command, debounce: debounce) { harness in
            try await harness.startAndAwaitFirstBuild()
            let names = (0..<6).map { "src/burst-\($0).txt" }
            for name in names { try harness.workspace.write(name, "x\n") }
            let lastWrite = ContinuousClock.now
            let started = try await harness.started(run: 2)
            #expect(ContinuousClock.now - lastWrite >= debounce, "a build starts only after the quiet period")
            #expect(Set(started.paths) == Set(names))
            _ = try await harness.finished(run: 2)
            #expect(harness.startedRuns.map(\.run) == [1, 2])
        }
    }

    @Test func aClientThatLeavesAtOnceCostsNoWatcher() async throws {
        try await withHarness(command: Self.command, debounce: .seconds(3600)) { harness in
            await harness.monitor.start()
            await harness.monitor.stop()
            #expect(!harness.events.all.contains { if case .watching = $0 { true } else { false } })
            #expect(harness.startedRuns.isEmpty)
        }
    }

    @Test func aManualRunIncludesChangesWaitingForTheDebounce() async throws {
        // A debounce long enough that only the manual run can build the change.
        try await withHarness(command: Self.command, debounce: .seconds(3600)) { harness in
            await harness.monitor.start()
            // The first build, asked for, also starts the watcher.
            #expect(await harness.monitor.runNow(wait: true).run == 1)
            try harness.workspace.write("src/waiting.txt", "w\n")
            _ = try await harness.events.next("the change to arrive") { $0.changedPaths?.contains("src/waiting.txt") == true }
            let status = await harness.monitor.runNow(wait: true)
            #expect(status.state == .green)
            #expect(status.run == 2)
            #expect(status.reason == .manual)
            #expect(status.changedPaths == ["src/waiting.txt"])
        }
    }
}
