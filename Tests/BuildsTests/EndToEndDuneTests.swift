import AidProtocol
import AidTestSupport
import Foundation
import JSONRPC
import Testing

/// The real daemon building a real dune project as its files change.
@Suite("End to end: dune", .serialized)
struct EndToEndDuneTests {
    static let files = [
        "dune-project": "(lang dune 2.9)\n",
        "bin/dune": "(executable (name main))\n",
        "bin/main.ml": "let () = print_endline \"hello\"\n",
    ]

    static var duneInstalled: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/dune")
        }
    }

    @Test(.enabled(if: duneInstalled, "dune is not installed (Debian: apt-get install ocaml-nox ocaml-dune)"))
    func aTypeErrorTurnsTheBuildRedAtItsExactPlaceAndTheFixTurnsItGreen() async throws {
        let session = try DaemonSession("dune", files: Self.files)
        defer { session.cleanUp() }
        let first = try await session.buildNow()
        #expect(first.state == .green, "\(first)")
        #expect(first.command == "dune build" && first.buildSystem == "dune")
        #expect(first.diagnostics.isEmpty)

        try session.project.write("bin/main.ml", "let () = print_endline 42\n")
        let broken = try await session.nextResult(after: first.run ?? 0)
        #expect(broken.running.reason == .change)
        #expect(broken.running.changedPaths == ["bin/main.ml"])
        #expect(broken.result.state == .red)
        #expect(broken.result.exitStatus == 1)
        #expect(broken.result.diagnostics == [BuildDiagnostic(
            path: "bin/main.ml", line: 1, column: 24, endLine: 1, endColumn: 26, severity: .error,
            message: "This expression has type int but an expression was expected of type\n         string", source: "ocaml")])

        // build/status says the same as the last notification.
        let status = try await session.client.call(BuildStatusRequest())
        #expect(status.workspaceRoot == session.project.root)
        #expect(status.status == broken.result)

        try session.project.saveAtomically("bin/main.ml", "let () = print_endline \"fixed\"\n")
        let fixed = try await session.nextResult(after: broken.result.run ?? 0)
        #expect(fixed.running.diagnostics == broken.result.diagnostics, "while running, the last diagnostics stay")
        #expect(fixed.result.state == .green)
        #expect(fixed.result.diagnostics.isEmpty)
        #expect(fixed.result.exitStatus == 0)
    }

    @Test(.enabled(if: duneInstalled, "dune is not installed"))
    func theCommandLineShowsRunsAndWatchesTheBuild() async throws {
        let session = try DaemonSession("dune-cli", files: Self.files)
        defer { session.cleanUp() }
        let root = session.project.root
        let green = try session.daemon.run(["build", "run", "--workspace", root])
        #expect(green.status == 0, "\(green.stderr)")
        #expect(green.stdout.hasPrefix("build green in \(root)\n  dune build (dune)"))

        let before = try await session.client.call(BuildStatusRequest()).status
        try session.project.write("bin/main.ml", "let () = print_endline 42\n")
        _ = try await session.nextResult(after: before.run ?? 0)
        let red = try session.daemon.run(["build", "status", "--workspace", root])
        #expect(red.status == 0)
        #expect(red.stdout.contains("build red in \(root)"))
        #expect(red.stdout.contains("bin/main.ml:1:24: error: This expression has type int"), "\(red.stdout)")
        let json = try session.daemon.run(["build", "status", "--json", "--workspace", root])
        let parsed = try JSONCoding.decode(WorkspaceBuildStatus.self, from: JSONParser.parse(Array(json.stdout.utf8)))
        #expect(parsed.status.state == .red)
        #expect(parsed.status.diagnostics.first?.column == 24)
        let failing = try session.daemon.run(["build", "run", "--workspace", root])
        #expect(failing.status == 1, "a red build fails the command")

        // `aid build watch --json` prints the current status, then every change, one line each.
        let watch = try WatchProcess(daemon: session.daemon, arguments: ["build", "watch", "--json", "--workspace", root])
        defer { watch.stop() }
        let current = try await watch.lines.next("the current status") { $0.contains("\"workspaceRoot\"") }
        #expect(current.contains("\"state\":\"red\""))
        try session.project.write("bin/main.ml", "let () = print_endline \"watched\"\n")
        _ = try await watch.lines.next("running") { $0.contains("\"state\":\"running\"") }
        let result = try await watch.lines.next("green") { $0.contains("\"state\":\"green\"") }
        let decoded = try JSONCoding.decode(WorkspaceBuildStatus.self, from: JSONParser.parse(Array(result.utf8)))
        #expect(decoded.workspaceRoot == root)
        #expect(decoded.status.diagnostics.isEmpty)
    }
}

/// `aid ARGS` running in the background, its stdout lines recorded as they come.
final class WatchProcess {
    let process: Process
    let lines = EventLog<String>()

    init(daemon: TestDaemon, arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: daemon.executable)
        process.arguments = arguments
        process.environment = daemon.environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let lines = self.lines
        let reader = output.fileHandleForReading
        Thread.detachNewThread {
            var buffer = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { return }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
            }
        }
    }

    func stop() {
        process.interrupt()
        process.waitUntilExit()
    }
}
