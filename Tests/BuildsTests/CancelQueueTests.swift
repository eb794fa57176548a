import AidProtocol
import Foundation
import Testing
@testable import Builds

/// What a change during a running build does: `build.on_change = "cancel"` or `"queue"`.
@Suite("Monitor: cancel and queue")
struct CancelQueueTests {
    /// Records its process group, then runs for as long as `out/block` exists.
    static let command = "echo $$ >> out/starts; while [ -e out/block ]; do sleep 0.02; done"

    /// Starts build 2 and waits until it runs, blocked; returns its process group.
    private func startBlockedBuild(_ harness: MonitorHarness) async throws -> Int32 {
        try await harness.startAndAwaitFirstBuild()
        try harness.workspace.write("out/block", "")
        try harness.workspace.write("src/first.txt", "1\n")
        _ = try await harness.started(run: 2)
        let workspace = harness.workspace
        try await eventually("build 2 to record its process group") { lines(workspace.read("out/starts")).count == 2 }
        return try #require(pid(in: lines(workspace.read("out/starts")).last))
    }

    @Test func aChangeDuringABuildCancelsItAndBuildsAgain() async throws {
        try await withHarness(command: Self.command, onChange: .cancel) { harness in
            let group = try await startBlockedBuild(harness)
            try harness.workspace.write("src/second.txt", "2\n")
            let deferred = try await harness.events.next("the change to be deferred") { $0.deferred != nil }.deferred!
            #expect(deferred.run == 2 && deferred.cancelling)
            _ = try await harness.events.next("build 2 to be cancelled") { $0.cancelledRun == 2 }
            // The whole process group of the cancelled build is gone.
            try await eventually("the cancelled build's processes to end") { processGroupIsGone(group) }
            let started = try await harness.started(run: 3)
            #expect(started.paths == ["src/second.txt"])
            try harness.workspace.remove("out/block")
            #expect(try await harness.finished(run: 3).state == .green)
            // Build 2 never reported a result.
            #expect(!harness.events.all.contains { $0.finished?.run == 2 })
            #expect(!harness.statuses.all.contains { $0.run == 2 && $0.state != .running })
        }
    }

    @Test func aChangeDuringABuildIsQueuedBehindIt() async throws {
        try await withHarness(command: Self.command, onChange: .queue) { harness in
            let group = try await startBlockedBuild(harness)
            try harness.workspace.write("src/second.txt", "2\n")
            let deferred = try await harness.events.next("the change to be deferred") { $0.deferred != nil }.deferred!
            #expect(deferred.run == 2 && !deferred.cancelling)
            #expect(!processGroupIsGone(group), "the running build goes on")
            try harness.workspace.remove("out/block")
            #expect(try await harness.finished(run: 2).state == .green)
            let started = try await harness.started(run: 3)
            #expect(started.paths == ["src/second.txt"])
            #expect(try await harness.finished(run: 3).state == .green)
            #expect(!harness.events.all.contains { $0.cancelledRun != nil })
            #expect(lines(harness.workspace.read("out/starts")).count == 3)
        }
    }

    @Test func severalChangesDuringABuildAreBuiltOnceAfterIt() async throws {
        try await withHarness(command: Self.command, onChange: .queue) { harness in
            _ = try await startBlockedBuild(harness)
            for index in 0..<3 {
                try harness.workspace.write("src/queued-\(index).txt", "\(index)\n")
                _ = try await harness.events.next("change \(index) to be deferred") { $0.deferred != nil }
            }
            try harness.workspace.remove("out/block")
            _ = try await harness.finished(run: 2)
            let started = try await harness.started(run: 3)
            #expect(Set(started.paths) == ["src/queued-0.txt", "src/queued-1.txt", "src/queued-2.txt"])
            _ = try await harness.finished(run: 3)
            #expect(harness.startedRuns.map(\.run) == [1, 2, 3])
        }
    }

    @Test func aManualRunWaitsForABuildThatStartedAfterIt() async throws {
        try await withHarness(command: Self.command, onChange: .queue) { harness in
            _ = try await startBlockedBuild(harness)
            let monitor = harness.monitor
            let answer = Task { await monitor.runNow(wait: true) }
            _ = try await harness.events.next("the request to be deferred") { $0.deferred != nil }
            try harness.workspace.remove("out/block")
            let status = await answer.value
            #expect(status.run == 3, "not the build that was running when it was asked for")
            #expect(status.reason == .manual)
            #expect(status.state == .green)
        }
    }

    @Test func stoppingKillsTheRunningBuild() async throws {
        let harness = try MonitorHarness(command: Self.command)
        let group = try await startBlockedBuild(harness)
        await harness.monitor.stop()
        try await eventually("the build's processes to end") { processGroupIsGone(group) }
        #expect(await harness.monitor.runningProcessID() == nil)
        harness.workspace.delete()
    }
}
