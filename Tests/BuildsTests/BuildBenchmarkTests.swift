import AidProtocol
import AidTestSupport
import Foundation
import JSONRPC
import Testing

/// Latency and cost figures of build monitoring with the real daemon. Opt-in, because they
/// take a while and their numbers only mean something on a quiet machine:
/// `AID_BUILD_BENCHMARK=1 swift test --filter BuildBenchmarkTests`; the watched tree for the
/// set-up figures is `AID_BENCHMARK_TREE` (a directory of sources, say 28,000 files).
@Suite("Build benchmark", .serialized, .enabled(if: ProcessInfo.processInfo.environment["AID_BUILD_BENCHMARK"] == "1"))
struct BuildBenchmarkTests {
    private static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction + 0.5))]
    }

    private static func report(_ name: String, _ values: [Double]) {
        print(String(format: "%@: p50 %.1f ms, p90 %.1f ms, min %.1f ms, max %.1f ms over %d runs", name,
                     percentile(values, 0.5), percentile(values, 0.9), values.min()!, values.max()!, values.count))
    }

    @Test func fromAFileWriteToRunningAndFromTheBuildsExitToItsResult() async throws {
        let debounceMs = 50.0
        let files = EndToEndDuneTests.files.merging([".aid/config.toml": "[build]\ndebounce_ms = \(Int(debounceMs))\n"]) { $1 }
        let session = try DaemonSession("bench", files: files)
        defer { session.cleanUp() }
        let received = EventLog<(at: Date, status: BuildStatus)>()
        session.client.onNotification { method, params in
            let at = Date()
            guard method == BuildStatusChangedNotification.method, let params,
                  let notification = try? JSONCoding.decode(BuildStatusChangedNotification.self, from: params) else { return }
            received.append((at, notification.status))
        }
        var last = try await session.buildNow()
        var toRunning: [Double] = []
        var toResult: [Double] = []
        for index in 0..<20 {
            let text = index % 2 == 0 ? "let () = print_endline 42\n" : "let () = print_endline \"ok \(index)\"\n"
            let written = Date()
            try session.project.write("bin/main.ml", text)
            let previous = last.run ?? 0
            let running = try await received.next("running") { $0.status.state == .running && ($0.status.run ?? 0) > previous }
            let result = try await received.next("result") { $0.status.state != .running && $0.status.run == running.status.run }
            #expect(result.status.state == (index % 2 == 0 ? .red : .green))
            toRunning.append(running.at.timeIntervalSince(written) * 1000 - debounceMs)
            let started = try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(try #require(result.status.startedAt))
            let exited = started.addingTimeInterval(Double(try #require(result.status.durationMs)) / 1000)
            toResult.append(result.at.timeIntervalSince(exited) * 1000)
            last = result.status
        }
        Self.report("file write -> running notification (minus \(Int(debounceMs)) ms debounce)", toRunning)
        Self.report("build exit -> red/green notification (1 ms resolution)", toResult)
    }

    @Test func watchSetUpTimeAndMemoryForALargeTree() async throws {
        let tree = try #require(ProcessInfo.processInfo.environment["AID_BENCHMARK_TREE"], "set AID_BENCHMARK_TREE")
        try FileManager.default.createDirectory(atPath: tree + "/.aid", withIntermediateDirectories: true)
        try "[build]\ncommand = \"true\"\n".write(toFile: tree + "/.aid/config.toml", atomically: true, encoding: .utf8)
        let daemon = try TestDaemon()
        defer { daemon.cleanUp() }
        try daemon.start()
        func residentKiB() throws -> Int {
            let status = try String(contentsOfFile: "/proc/\(daemon.pid)/status", encoding: .utf8)
            let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
            return Int(line.split(separator: " ")[1])!
        }
        func cpuMilliseconds() throws -> Int {
            let stat = try String(contentsOfFile: "/proc/\(daemon.pid)/stat", encoding: .utf8)
            let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
            // utime and stime, in clock ticks of 10 ms.
            return (Int(fields[11])! + Int(fields[12])!) * 10
        }
        let before = try residentKiB()
        let cpuBefore = try cpuMilliseconds()
        let connected = ContinuousClock.now
        let client = try daemon.connect(clientName: "bench", workspaceRoot: tree)
        defer { client.close() }
        let result = try await client.call(BuildRunRequest()).status
        let elapsed = ContinuousClock.now - connected
        #expect(result.state == .green)
        let after = try residentKiB()
        let cpu = try cpuMilliseconds() - cpuBefore
        let log = try String(contentsOfFile: daemon.paths.logFile, encoding: .utf8)
        let watching = log.split(separator: "\n").last { $0.contains("Watching ") && $0.contains("set up in") } ?? "(no line)"
        print("watch set-up for \(tree): \(watching)")
        print("connect + initialize + watch + first build (`true`): \(elapsed)")
        print("daemon RSS: \(before) KiB before, \(after) KiB watching (+\(after - before) KiB)")
        print("daemon CPU time for it: \(cpu) ms")
    }
}
