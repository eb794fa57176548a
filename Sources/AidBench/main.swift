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
var onlyClients: Int?
if let index = arguments.firstIndex(of: "--clients"), index + 1 < arguments.count {
    onlyClients = Int(arguments[index + 1])
    arguments.removeSubrange(index...(index + 1))
}
let roundTrips = arguments.first.flatMap(Int.init) ?? 100_000

let here = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map { ($0 as NSString).deletingLastPathComponent } ?? "."
let aid = here + "/aid"
let directory = "/tmp/aid-bench-\(getpid())"
let paths = AidPaths(socket: directory + "/run/aid.sock", stateDirectory: directory + "/state", configFile: directory + "/config.toml")
defer { try? FileManager.default.removeItem(atPath: directory) }

func rssKiB(_ pid: Int, field: String = "VmRSS") -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
    }
    return 0
}

/// CPU seconds (user and system) a process has used so far, from /proc.
func cpuSeconds(_ pid: Int) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return 0 }
    // After the command name: state is field 3, utime and stime fields 14 and 15.
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// The machine's CPU ticks so far: all of them, and those stolen by the hypervisor for other
/// guests (on a shared VM, figures taken while much is stolen are not comparable).
func cpuTicks() -> (total: Double, stolen: Double) {
    guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return (0, 0) }
    let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
    // user nice system idle iowait irq softirq steal ...
    guard fields.count >= 8 else { return (0, 0) }
    return (fields[0..<8].reduce(0, +), fields[7])
}

/// A load's latency figures and, under it, the daemon's CPU time per request and the share of
/// the machine's time that was stolen.
func measure(clients: Int, total: Int, daemon: pid_t) throws -> (LatencySummary, cpuPerRequest: Double, stolen: Double) {
    let before = cpuSeconds(Int(daemon))
    let ticks = cpuTicks()
    let summary = try measure(clients: clients, total: total)
    let after = cpuTicks()
    let stolen = after.total > ticks.total ? (after.stolen - ticks.stolen) / (after.total - ticks.total) : 0
    return (summary, (cpuSeconds(Int(daemon)) - before) / Double(max(summary.count, 1)), stolen)
}

/// The tail of a measurement line: the daemon's CPU per request and the time stolen.
func costs(_ cpuPerRequest: Double, _ stolen: Double) -> String {
    String(format: "  daemon CPU %.1f us/request  (%.0f%% stolen)", cpuPerRequest * 1e6, stolen * 100)
}

/// `count` connections to the daemon, each warmed up by `warmUp`.
func connect(_ count: Int, warmUp: (RoundTripClient) -> Void) throws -> [RoundTripClient] {
    let connections = try (0..<count).map { _ in try RoundTripClient(socket: paths.socket, method: "daemon/status") }
    for connection in connections { warmUp(connection) }
    return connections
}

/// Runs `body` with each connection on a thread of its own, all at once; returns each thread's
/// result, in connection order, and the wall time they took together.
func onThreads<T: Sendable>(_ connections: [RoundTripClient], _ body: @escaping @Sendable (RoundTripClient) -> T) -> (results: [T], seconds: Double) {
    let results = Mutex<[T?]>(Array(repeating: nil, count: connections.count))
    let group = DispatchGroup()
    let start = monotonicSeconds()
    for (index, connection) in connections.enumerated() {
        group.enter()
        Thread.detachNewThread {
            let result = body(connection)
            results.withLock { $0[index] = result }
            group.leave()
        }
    }
    group.wait()
    let seconds = monotonicSeconds() - start
    return (results.withLock { $0.compactMap { $0 } }, seconds)
}

func measure(clients: Int, total: Int) throws -> LatencySummary {
    let perClient = total / clients
    let connections = try connect(clients) { connection in for _ in 0..<200 { _ = connection.roundTrip() } }
    let (samples, seconds) = onThreads(connections) { connection in
        var local: [Double] = []
        local.reserveCapacity(perClient)
        for _ in 0..<perClient {
            let t0 = monotonicSeconds()
            guard connection.roundTrip() else { break }
            local.append(monotonicSeconds() - t0)
        }
        return local
    }
    return LatencySummary(samples: samples.flatMap { $0 }, wallSeconds: seconds)
}

/// Requests per second of `clients` connections each keeping `depth` requests in flight.
func measurePipelined(clients: Int, depth: Int, total: Int) throws -> Double {
    let perClient = total / clients
    let connections = try connect(clients) { _ = $0.pipelined(count: 200, depth: depth) }
    let (answered, seconds) = onThreads(connections) { $0.pipelined(count: perClient, depth: depth) }
    return Double(answered.reduce(0, +)) / seconds
}

print("aid-bench: \(roundTrips) round trips of daemon/status, \(ProcessInfo.processInfo.activeProcessorCount) CPUs")
/// Runs a command and returns what it printed (also echoed).
func runEchoing(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    print(output, terminator: "")
    return output
}

/// The p50 in microseconds of a floor output line starting with `prefix`.
func floorP50(_ output: String, _ prefix: String) -> Double? {
    guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
          let range = line.range(of: "p50 ") else { return nil }
    return Double(line[range.upperBound...].prefix { $0 == "." || $0.isNumber })
}

var floorAnyCoreP50: Double?
var floorEightClients: Double?
if let floorScript {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    // The script builds the floor into TMPDIR: ours, so that its binary can be run again below.
    let output = try runEchoing("/bin/bash", [floorScript, String(roundTrips)], environment: ["TMPDIR": directory])
    floorAnyCoreP50 = floorP50(output, "any core")
    // Eight floor pairs at once: what eight clients of a server that parses nothing get here.
    let binary = directory + "/aid-floor-bin"
    if FileManager.default.isExecutableFile(atPath: binary) {
        let start = monotonicSeconds()
        let pairs = try (0..<8).map { index -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = [String(roundTrips / 8), directory + "/floor-\(index).sock"]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        for pair in pairs { pair.waitUntilExit() }
        floorEightClients = Double(roundTrips / 8 * 8) / (monotonicSeconds() - start)
        print(String(format: "floor, 8 clients: %d round trips %10.0f req/s (8 floor pairs at once)", roundTrips / 8 * 8, floorEightClients!))
    }
}
let pid = try DaemonLauncher.spawnDaemon(executable: aid, paths: paths)
let control = try DaemonLauncher.waitForDaemon(options: .init(socketPath: paths.socket), child: pid, timeout: .seconds(20),
                                               logFile: paths.logFile, executable: aid)
let idle = rssKiB(Int(pid))
// The daemon's own memory; the rest of the RSS is mapped code and data of files (the binary, the
// Swift runtime, Foundation, SQLite), clean and shared with every other process that maps them.
let idleAnonymous = rssKiB(Int(pid), field: "RssAnon")
if let onlyClients {
    // One load only, for profiling the daemon under it (its pid is printed first).
    print("daemon pid \(pid)")
    let (summary, cpu, stolen) = try measure(clients: onlyClients, total: roundTrips, daemon: pid)
    print(summary.line("aid, \(onlyClients) clients:") + costs(cpu, stolen))
    _ = try? control.call(DaemonShutdownRequest())
    exit(0)
}
let (one, oneCPU, oneStolen) = try measure(clients: 1, total: roundTrips, daemon: pid)
print(one.line("aid, 1 client:") + costs(oneCPU, oneStolen))
let (eight, eightCPU, eightStolen) = try measure(clients: 8, total: roundTrips, daemon: pid)
print(eight.line("aid, 8 clients:") + costs(eightCPU, eightStolen))
let pipelinedDepth = 8
let pipelined = try measurePipelined(clients: 8, depth: pipelinedDepth, total: roundTrips)
print(String(format: "aid, 8 clients, %d in flight each: %9.0f req/s", pipelinedDepth, pipelined))
if let floorAnyCoreP50 {
    print(String(format: "ratio: aid 1 client p50 / floor any-core p50 = %.2f (target at most 3)", one.p50 * 1e6 / floorAnyCoreP50))
}
if let floorEightClients {
    print(String(format: "ratio: aid 8 clients req/s / floor 8 pairs req/s = %.2f", eight.requestsPerSecond / floorEightClients))
}
print(String(format: "aid RSS: idle after start %.1f MiB (%.1f MiB anonymous, the rest mapped files), after the load %.1f MiB",
             Double(idle) / 1024, Double(idleAnonymous) / 1024, Double(rssKiB(Int(pid))) / 1024))

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
