import AidProtocol
import Daemon
import Diffs
import Foundation
import JSONRPC
#if canImport(Glibc)
import Glibc
#endif

/// `aid-bench context CORPUS`: the main job's figures through a real daemon on a large
/// workspace, each beside its peer measured in the same run:
///
/// - cold index: from the first `context/preview` to its answer (and the daemon's own build
///   time from `daemon/status`), and the daemon's RSS after it;
/// - `context/preview` warm, over varied prompts, files and cursors;
/// - re-index of one changed file: from the write to `daemon/status` showing the watcher's
///   update done (`indexes[].updates` grew), the file then checked to be found by retrieval;
/// - retrieval queries (`context/preview` with the query as prompt) beside `rg` for the same terms;
/// - the real diffs between tagged versions of packages in /opt/swift-packages, applied by the
///   Diffs engine and by `git apply` to copies of the same tree, timed, and compared file by file.
struct ContextBenchmark {
    let corpus: String
    let aid: String
    let mirror: String
    let previewCount: Int
    let directory = "/tmp/aid-bench-context-\(getpid())"
    var rows: [(measure: String, aid: String, peer: String, target: String)] = []

    static func run(_ arguments: [String]) throws {
        var arguments = arguments
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            defer { arguments.removeSubrange(index...(index + 1)) }
            return arguments[index + 1]
        }
        let mirror = option("--mirror") ?? "/opt/swift-packages"
        let previews = option("--previews").flatMap(Int.init) ?? 300
        let skipDiffs = arguments.contains("--no-diffs")
        arguments.removeAll { $0 == "--no-diffs" }
        guard let corpus = arguments.first else {
            print("usage: AidBench context CORPUS [--previews N] [--mirror DIR] [--no-diffs]\n(make a corpus with Tests/Benchmarks/corpus1m.sh)")
            exit(2)
        }
        let here = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map { ($0 as NSString).deletingLastPathComponent } ?? "."
        let root = URL(fileURLWithPath: corpus).resolvingSymlinksInPath().path
        var bench = ContextBenchmark(corpus: root, aid: here + "/aid", mirror: mirror, previewCount: previews)
        try bench.runAll(skipDiffs: skipDiffs)
    }

    mutating func runAll(skipDiffs: Bool) throws {
        let fileManager = FileManager.default
        try? fileManager.removeItem(atPath: directory)
        try fileManager.createDirectory(atPath: directory + "/config", withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(atPath: directory) }
        print("aid-bench context: \(corpus), \(ProcessInfo.processInfo.activeProcessorCount) CPUs, load average \(loadAverage())")
        let paths = AidPaths(socket: directory + "/run/aid.sock", stateDirectory: directory + "/state", configFile: directory + "/config/aid/config.toml")
        let pid = try DaemonLauncher.spawnDaemon(executable: aid, paths: paths, environment: ["XDG_CONFIG_HOME": directory + "/config"])
        let client = try DaemonLauncher.waitForDaemon(options: .init(socketPath: paths.socket), child: pid, timeout: .seconds(20),
                                                      logFile: paths.logFile, executable: aid)
        defer {
            _ = try? client.call(DaemonShutdownRequest())
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        let idleRSS = memory(pid).rss
        let files = trackedSwiftFiles()
        guard files.count >= 20 else { throw BenchError("fewer than 20 Swift files under \(corpus)") }

        // Cold index: the first request of a fresh daemon on the workspace builds it.
        let first = files[files.count / 2]
        var started = monotonicSeconds()
        _ = try client.call(Self.preview("where is the main entry point", root: corpus, file: first.path, line: 1), timeout: .seconds(900))
        let coldSeconds = monotonicSeconds() - started
        let index = try indexStatus(client)
        let afterIndex = memory(pid)
        let ready = files.filter { FileManager.default.fileExists(atPath: corpus + "/" + $0.path) }
        print(String(format: "cold: %.2f s to the first context/preview answer; daemon build %.2f s; %d files, %d lines; RSS %.0f MB (idle %.0f MB, peak %.0f MB)",
                     coldSeconds, index.buildSeconds ?? -1, index.files, index.lines, afterIndex.rss, idleRSS, afterIndex.peak))
        rows.append(("cold index, \(grouped(index.lines)) lines, \(grouped(index.files)) files",
                     String(format: "%.2f s to first answer (daemon build %.2f s)", coldSeconds, index.buildSeconds ?? -1), "-", "≤ 10 s"))
        rows.append(("daemon RSS after indexing", String(format: "%.0f MB (peak %.0f MB, idle %.0f MB)", afterIndex.rss, afterIndex.peak, idleRSS),
                     "-", "≤ 300 MB"))

        // Warm previews: varied prompts, files and cursors.
        let prompts = [
            "fix the overflow when the buffer grows past its capacity", "why does this return nil for an empty input",
            "add a test for the error path of this function", "document the copy-on-write behaviour here",
            "make this function safe to call from several threads", "rename the parser type to Reader everywhere",
            "handle the case where the certificate chain is empty", "the syntax tree rewriter drops trailing trivia",
            "ByteBuffer writeInteger readInteger endianness", "speed up the lookup in this dictionary-backed cache",
            "add async variants of these channel handlers", "parse the argument only when the flag is present",
        ]
        let targets = stride(from: 0, to: ready.count, by: max(1, ready.count / 40)).map { ready[$0] }
        let root = corpus
        func request(_ round: Int) -> ContextPreviewRequest {
            let file = targets[round % targets.count]
            let line = 1 + (round * 37) % max(1, file.lines)
            return Self.preview(prompts[round % prompts.count], root: root, file: file.path, line: line)
        }
        for round in 0..<20 { _ = try client.call(request(round + 1000)) }
        var previewSamples: [Double] = []
        var itemCounts: [Int] = [], tokenCounts: [Int] = []
        for round in 0..<previewCount {
            started = monotonicSeconds()
            let answer = try client.call(request(round))
            previewSamples.append((monotonicSeconds() - started) * 1000)
            itemCounts.append(answer.items.count)
            tokenCounts.append(answer.totalTokens)
        }
        let warm = Percentiles(previewSamples)
        let afterPreviews = memory(pid)
        print("context/preview warm: \(previewCount) requests over \(targets.count) files and \(prompts.count) prompts: \(warm.text(unit: "ms")); "
              + "items median \(itemCounts.sorted()[itemCounts.count / 2]), tokens median \(tokenCounts.sorted()[tokenCounts.count / 2]); "
              + String(format: "RSS %.0f MB", afterPreviews.rss))
        rows.append(("context/preview warm (\(previewCount) requests, \(targets.count) files, \(prompts.count) prompts)",
                     String(format: "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", warm.p50, warm.p90, warm.p99, warm.max), "-", "p99 ≤ 30 ms"))

        try reindex(client, files: ready)
        try retrieval(client)
        rows.append(("daemon RSS at the end", String(format: "%.0f MB (peak %.0f MB)", memory(pid).rss, memory(pid).peak), "-", "≤ 300 MB"))
        if !skipDiffs { try diffs() }
        printTable()
    }

    // MARK: Re-index

    /// Writes a file (a new function appended), then polls `daemon/status` until the
    /// watcher's update is done; then checks that retrieval finds the new name in that file.
    mutating func reindex(_ client: RPCClient, files: [(path: String, lines: Int, bytes: Int)]) throws {
        let bySize = files.sorted { $0.bytes < $1.bytes }
        // Typical files (around the median size) and a few large ones.
        var chosen = (0..<12).map { bySize[bySize.count / 4 + $0 * bySize.count / 24].path }
        chosen += bySize.suffix(3).map(\.path)
        if let c = cFile() { chosen.append(c) }
        var samples: [Double] = [], daemonSamples: [Double] = [], afterEdit: [Double] = []
        var found = 0
        var originals: [String: Data] = [:]
        defer {
            for (path, data) in originals { try? data.write(to: URL(fileURLWithPath: corpus + "/" + path)) }
        }
        for (round, path) in chosen.enumerated() {
            let url = URL(fileURLWithPath: corpus + "/" + path)
            let original = try Data(contentsOf: url)
            originals[path] = original
            let name = "aidBenchEdit\(round)x\(getpid())"
            let edited = original + Data((path.hasSuffix(".c") ? "\nint \(name)(void) { return 0; }\n" : "\nfunc \(name)() {}\n").utf8)
            let before = try indexStatus(client).updates
            let t0 = monotonicSeconds()
            try edited.write(to: url)
            var status = try indexStatus(client)
            while status.updates == before {
                if monotonicSeconds() - t0 > 10 { throw BenchError("the index did not pick up the change of \(path) within 10 s") }
                status = try indexStatus(client)
            }
            samples.append((monotonicSeconds() - t0) * 1000)
            daemonSamples.append(status.lastUpdateMilliseconds ?? -1)
            let previewStarted = monotonicSeconds()
            _ = try client.call(Self.preview("add a caller of \(name)", root: corpus, file: path, line: 1))
            afterEdit.append((monotonicSeconds() - previewStarted) * 1000)
            // Retrieval leaves out the current file: ask without one.
            let answer = try client.call(ContextPreviewRequest(prompt: name, workspaceRoot: corpus))
            if answer.items.contains(where: { $0.provider == "retrieval" && $0.path.map { path.hasSuffix($0) || $0.hasSuffix(path) } == true }) {
                found += 1
            } else {
                print("re-index: retrieval did not find \(name) in \(path): " + answer.items.map { "\($0.provider):\($0.title)" }.joined(separator: ", "))
            }
            // Put the file back and let the daemon take that in too (not timed).
            let restored = try indexStatus(client).updates
            try original.write(to: url)
            originals[path] = nil
            let deadline = monotonicSeconds() + 10
            while try indexStatus(client).updates == restored, monotonicSeconds() < deadline { usleep(1_000) }
            usleep(20_000)
        }
        let measured = Percentiles(samples), daemon = Percentiles(daemonSamples)
        print("re-index, write to index current (\(chosen.count) files): \(measured.text(unit: "ms")); daemon update alone: \(daemon.text(unit: "ms")); found by retrieval afterwards: \(found)/\(chosen.count)")
        for (path, sample) in zip(chosen, samples) { print(String(format: "  %7.2f ms  %@", sample, path)) }
        let firstPreview = Percentiles(afterEdit)
        print("context/preview right after an edit (the edited file current, caches rebuilt): \(firstPreview.text(unit: "ms"))")
        rows.append(("re-index of one changed file, write → index current (\(chosen.count) files)",
                     String(format: "p50 %.1f ms, max %.1f ms (daemon update p50 %.1f ms); %d/%d then found", measured.p50, measured.max,
                            daemon.p50, found, chosen.count), "-", "≤ 10 ms"))
        rows.append(("context/preview right after an edit (\(chosen.count) edits)",
                     String(format: "p50 %.1f ms, max %.1f ms", firstPreview.p50, firstPreview.max), "-", "-"))
    }

    // MARK: Retrieval beside rg

    mutating func retrieval(_ client: RPCClient) throws {
        for query in ["ByteBuffer writeInteger", "TLS certificate verification", "parseExpression", "ChannelPipeline addHandler"] {
            var samples: [Double] = []
            var answer: ContextPreview?
            for _ in 0..<11 {
                let started = monotonicSeconds()
                answer = try client.call(ContextPreviewRequest(prompt: query, workspaceRoot: corpus))
                samples.append((monotonicSeconds() - started) * 1000)
            }
            let hits = (answer?.items ?? []).filter { $0.provider == "retrieval" }
            let words = query.split(separator: " ").map(String.init)
            var rgSamples: [Double] = []
            var rgFiles = 0
            for _ in 0..<3 {
                let started = monotonicSeconds()
                let output = try runProcess("/usr/bin/env", ["rg", "-i", "-l"] + words.flatMap { ["-e", $0] } + [corpus])
                rgSamples.append((monotonicSeconds() - started) * 1000)
                rgFiles = output.stdout.split(separator: "\n").count
            }
            let aid = Percentiles(samples), rg = Percentiles(rgSamples)
            print(String(format: "retrieval \"%@\": context/preview p50 %.1f ms, %d retrieval items (top: %@) | rg -il: p50 %.1f ms, %d files, unranked",
                         query, aid.p50, hits.count, hits.prefix(3).map(\.title).joined(separator: "; "), rg.p50, rgFiles))
            rows.append(("retrieval \"\(query)\" (context/preview, no file)",
                         String(format: "p50 %.1f ms, %d ranked chunks", aid.p50, hits.count),
                         String(format: "rg -il: p50 %.1f ms, %d files, unranked", rg.p50, rgFiles), "-"))
        }
    }

    // MARK: Diffs beside git apply

    mutating func diffs() throws {
        let pairs = [("apple/swift-syntax", "600.0.1", "602.0.0"), ("apple/swift-syntax", "602.0.0", "603.0.1"),
                     ("apple/swift-crypto", "3.12.3", "4.5.2"), ("apple/swift-nio", "2.101.2", "2.101.3")]
        for (repository, from, to) in pairs {
            let gitDirectory = mirror + "/" + repository + ".git"
            guard FileManager.default.fileExists(atPath: gitDirectory) else {
                print("diffs: \(gitDirectory) not found, skipped")
                continue
            }
            let work = directory + "/diffs/" + repository.replacingOccurrences(of: "/", with: "-") + "-" + from
            let aidTree = work + "/aid", gitTree = work + "/git", patchFile = work + "/diff.patch"
            for tree in [aidTree, gitTree] {
                try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
                _ = try runProcess("/bin/sh", ["-c", "git --git-dir \"$0\" archive \"$1\" | tar -x -C \"$2\"", gitDirectory, from, tree])
            }
            let diff = try runProcess("/usr/bin/env", ["git", "--git-dir", gitDirectory, "diff", "--no-color", "--no-ext-diff", from, to]).stdout
            try Data(diff.utf8).write(to: URL(fileURLWithPath: patchFile))

            // Aid: parse and apply in memory (a dry run), then parse, apply and write.
            var started = monotonicSeconds()
            let patcher = try WorkspacePatcher(root: URL(fileURLWithPath: aidTree))
            var patches = try UnifiedDiffParser().parse(diff)
            _ = try patcher.apply(patches, dryRun: true)
            let dryRun = (monotonicSeconds() - started) * 1000
            started = monotonicSeconds()
            patches = try UnifiedDiffParser().parse(diff)
            var aidError: String?
            do { _ = try patcher.apply(patches) } catch { aidError = "\(error)" }
            let aidWrite = (monotonicSeconds() - started) * 1000

            // git apply on the same tree, from the same diff file.
            started = monotonicSeconds()
            let git = try runProcess("/usr/bin/env", ["git", "-C", gitTree, "apply", patchFile], check: false)
            let gitApply = (monotonicSeconds() - started) * 1000

            // Agreement: every path the diff names, byte for byte.
            var touched = Set<String>()
            for patch in patches {
                for path in [patch.oldPath, patch.newPath].compactMap({ $0 }) { touched.insert(path) }
            }
            var agree = 0
            var disagreements: [String] = []
            for path in touched.sorted() {
                let left = FileManager.default.contents(atPath: aidTree + "/" + path)
                let right = FileManager.default.contents(atPath: gitTree + "/" + path)
                if left == right { agree += 1 } else { disagreements.append(path) }
            }
            let treesEqual = try runProcess("/usr/bin/env", ["diff", "-rq", aidTree, gitTree], check: false).status == 0
            let hunks = patches.reduce(0) { $0 + $1.hunks.count }
            let label = "\(repository.split(separator: "/").last!) \(from)→\(to)"
            print(String(format: "diff %@: %d files, %d hunks, %d KB: Aid %.0f ms in memory, %.0f ms written (fsync per file)%@ | git apply %.0f ms%@; %d/%d paths agree, trees %@",
                         label, patches.count, hunks, diff.utf8.count / 1024, dryRun, aidWrite, aidError.map { " FAILED: \($0)" } ?? "",
                         gitApply, git.status == 0 ? "" : " FAILED: \(git.stderr.prefix(300))", agree, touched.count,
                         treesEqual ? "identical" : "differ"))
            for path in disagreements.prefix(5) { print("  differs: \(path)") }
            rows.append(("diff apply \(label) (\(patches.count) files, \(hunks) hunks)",
                         String(format: "%.0f ms written (%.0f ms in memory)%@", aidWrite, dryRun, aidError == nil ? "" : ", FAILED"),
                         String(format: "git apply %.0f ms%@", gitApply, git.status == 0 ? "" : ", FAILED"),
                         "\(agree)/\(touched.count) paths agree\(treesEqual ? ", trees identical" : "")"))
            try? FileManager.default.removeItem(atPath: work)
        }
    }

    // MARK: Helpers

    static func preview(_ prompt: String, root: String, file: String, line: Int) -> ContextPreviewRequest {
        ContextPreviewRequest(prompt: prompt, workspaceRoot: root, file: root + "/" + file,
                              cursor: EditorPosition(line: max(0, line - 1), character: 0))
    }

    func indexStatus(_ client: RPCClient) throws -> DaemonStatus.Index {
        guard let index = try client.call(DaemonStatusRequest()).indexes?.first(where: { $0.root == corpus }) else {
            throw BenchError("daemon/status shows no index of \(corpus)")
        }
        return index
    }

    /// Swift files tracked in the corpus (under Sources), with their lines and sizes, in path order.
    func trackedSwiftFiles() -> [(path: String, lines: Int, bytes: Int)] {
        let listed = (try? runProcess("/usr/bin/env", ["git", "-C", corpus, "ls-files", "*.swift"]).stdout) ?? ""
        var paths = listed.split(separator: "\n").map(String.init)
        if paths.isEmpty {
            let enumerator = FileManager.default.enumerator(atPath: corpus)
            while let path = enumerator?.nextObject() as? String, paths.count < 200_000 {
                if path.hasSuffix(".swift") { paths.append(path) }
            }
            paths.sort()
        }
        return paths.filter { $0.contains("/Sources/") }.compactMap { path in
            guard let data = FileManager.default.contents(atPath: corpus + "/" + path), data.count > 200, data.count < 1 << 20 else { return nil }
            return (path, data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }, data.count)
        }
    }

    func cFile() -> String? {
        let listed = (try? runProcess("/usr/bin/env", ["git", "-C", corpus, "ls-files", "*.c"]).stdout) ?? ""
        let paths = listed.split(separator: "\n").map(String.init)
        return paths.isEmpty ? nil : paths[paths.count / 2]
    }

    func printTable() {
        let header = ("measure", "Aid (through the daemon)", "peer, same run", "target")
        let all = [header] + rows.map { ($0.measure, $0.aid, $0.peer, $0.target) }
        let widths = [all.map { $0.0.count }.max()!, all.map { $0.1.count }.max()!, all.map { $0.2.count }.max()!]
        print("")
        for (index, row) in all.enumerated() {
            print("| " + [row.0.padding(toLength: widths[0], withPad: " ", startingAt: 0),
                          row.1.padding(toLength: widths[1], withPad: " ", startingAt: 0),
                          row.2.padding(toLength: widths[2], withPad: " ", startingAt: 0), row.3].joined(separator: " | ") + " |")
            if index == 0 { print("| " + widths.map { String(repeating: "-", count: $0) }.joined(separator: " | ") + " | --- |") }
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// p50, p90, p99 and max of samples.
struct Percentiles {
    var p50 = 0.0, p90 = 0.0, p99 = 0.0, max = 0.0
    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return }
        func at(_ q: Double) -> Double { sorted[Swift.min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.down)))] }
        p50 = at(0.5)
        p90 = at(0.9)
        p99 = at(0.99)
        max = sorted.last!
    }

    func text(unit: String) -> String {
        String(format: "p50 %.2f %@, p90 %.2f %@, p99 %.2f %@, max %.2f %@", p50, unit, p90, unit, p99, unit, max, unit)
    }
}

/// VmRSS and VmHWM of a process, in MB.
func memory(_ pid: pid_t) -> (rss: Double, peak: Double) {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Double {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
        return (Double(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0) / 1024
    }
    return (field("VmRSS:"), field("VmHWM:"))
}

func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
}

func grouped(_ value: Int) -> String {
    let digits = Array(String(value))
    var result = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return result
}

/// Runs a process to its end; its output as text.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], check: Bool = true) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdoutData = BoxedData(), stderrData = BoxedData()
    let group = DispatchGroup()
    group.enter()
    let errors = err.fileHandleForReading
    DispatchQueue.global().async {
        stderrData.value = errors.readDataToEndOfFile()
        group.leave()
    }
    stdoutData.value = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    let result = (process.terminationStatus, String(decoding: stdoutData.value, as: UTF8.self), String(decoding: stderrData.value, as: UTF8.self))
    if check, result.0 != 0 { throw BenchError("\(executable) \(arguments.joined(separator: " ")) failed (\(result.0)): \(result.2.prefix(500))") }
    return result
}

final class BoxedData: @unchecked Sendable {
    // @unchecked: written by one thread before the group is left, read after it is waited for.
    var value = Data()
}
