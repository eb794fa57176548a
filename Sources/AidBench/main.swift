import AidProtocol
import Daemon
import Foundation
import JSONRPC
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

// aid-bench: measures the daemon against the socket floor in the same run.
// Usage: aid-bench [ROUND_TRIPS] [--floor PATH_TO_UDS_FLOOR_RUN_SCRIPT]
//        aid-bench context CORPUS [--previews N] [--mirror DIR] [--no-diffs]   (the main job's figures)
// Starts the `aid` binary found next to this one in private temporary directories.

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "context" {
    // aid-bench context CORPUS: the main job's figures (see ContextBenchmark).
    do {
        try ContextBenchmark.run(Array(arguments.dropFirst()))
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("aid-bench context: \(error)\n".utf8))
        exit(1)
    }
}
var floorScript: String?
if let index = arguments.firstIndex(of: "--floor"), index + 1 < arguments.count {
    floorScript = arguments[index + 1]
    arguments.removeSubrange(index...(index + 1))
}
let roundTrips = arguments.first.flatMap(Int.init) ?? 100_000

let here = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map { ($0 as NSString).deletingLastPathComponent } ?? "."
let aid = here + "/aid"
let directory = "/tmp/aid-bench-\(getpid())"
let paths = AidPaths(socket: directory + "/run/aid.sock", stateDirectory: directory + "/state", configFile: directory + "/config.toml")
defer { try? FileManager.default.removeItem(atPath: directory) }

func rssKiB(_ pid: Int) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
    }
    return 0
}

func measure(clients: Int, total: Int) throws -> LatencySummary {
    let perClient = total / clients
    let connections = try (0..<clients).map { _ in try RoundTripClient(socket: paths.socket, method: "daemon/status") }
    for connection in connections { for _ in 0..<200 { _ = connection.roundTrip() } }  // warm up
    let samples = SampleSink(count: clients)
    let group = DispatchGroup()
    let start = monotonicSeconds()
    for (index, connection) in connections.enumerated() {
        group.enter()
        Thread.detachNewThread {
            var local: [Double] = []
            local.reserveCapacity(perClient)
            for _ in 0..<perClient {
                let t0 = monotonicSeconds()
                guard connection.roundTrip() else { break }
                local.append(monotonicSeconds() - t0)
            }
            samples.set(index, local)
            group.leave()
        }
    }
    group.wait()
    return LatencySummary(samples: samples.all, wallSeconds: monotonicSeconds() - start)
}

/// Per-thread latency samples, handed over once each thread is done.
final class SampleSink: Sendable {
    private let slots: Mutex<[[Double]]>
    init(count: Int) { slots = Mutex(Array(repeating: [], count: count)) }
    func set(_ index: Int, _ samples: [Double]) { slots.withLock { $0[index] = samples } }
    var all: [Double] { slots.withLock { $0.flatMap { $0 } } }
}

print("aid-bench: \(roundTrips) round trips of daemon/status, \(ProcessInfo.processInfo.activeProcessorCount) CPUs")
if let floorScript {
    let floor = Process()
    floor.executableURL = URL(fileURLWithPath: "/bin/bash")
    floor.arguments = [floorScript, String(roundTrips)]
    try floor.run()
    floor.waitUntilExit()
}
let pid = try DaemonLauncher.spawnDaemon(executable: aid, paths: paths)
let control = try DaemonLauncher.waitForDaemon(options: .init(socketPath: paths.socket), child: pid, timeout: .seconds(20),
                                               logFile: paths.logFile, executable: aid)
let idle = rssKiB(Int(pid))
print(try measure(clients: 1, total: roundTrips).line("aid, 1 client:"))
print(try measure(clients: 8, total: roundTrips).line("aid, 8 clients:"))
print(String(format: "aid RSS: idle after start %.1f MiB, after the load %.1f MiB", Double(idle) / 1024, Double(rssKiB(Int(pid))) / 1024))

// Restart to ready: from sending daemon/restart to the first answer of the new generation.
var restartSamples: [Double] = []
for _ in 0..<10 {
    let before = try control.call(DaemonStatusRequest()).generation
    let t0 = monotonicSeconds()
    _ = try control.call(DaemonRestartRequest())
    var probe: RoundTripClient?
    while true {
        if probe == nil { probe = try? RoundTripClient(socket: paths.socket, method: "daemon/status") }
        if let p = probe, p.roundTrip() { break }
        probe = nil
    }
    restartSamples.append(monotonicSeconds() - t0)
    _ = try control.call(DaemonStatusRequest())  // the control client has reconnected by now
    let after = try control.call(DaemonStatusRequest()).generation
    precondition(after == before + 1, "the daemon did not restart")
}
let restart = LatencySummary(samples: restartSamples, wallSeconds: 1)
print(String(format: "restart to ready (10 restarts): p50 %.1f ms, max %.1f ms", restart.p50 * 1000, (restartSamples.max() ?? 0) * 1000))
_ = try? control.call(DaemonShutdownRequest())
var status: Int32 = 0
waitpid(pid, &status, 0)
