import AidProtocol
import ArgumentParser
import Daemon
import Foundation
import JSONRPC

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Show the whole main job offline: a sample project with a bug, a streamed fix, applied, tests passing.",
        discussion: """
            Creates a tiny Python project whose unit test fails in a temporary directory, starts a \
            daemon of its own there (its own socket, state and configuration: your daemon and \
            settings are not touched) with a replay model whose recorded answer fixes the bug, asks \
            for the fix through edit/propose, shows the streamed answer and diff, writes it with \
            edit/apply, and runs the tests again. Needs python3; no network, no key. Exit status 0 \
            when the tests pass at the end.
            """)

    @Flag(help: "Keep the temporary directory (the sample project, the demo daemon's state and log) instead of removing it.")
    var keep = false

    func run() throws {
        guard let python = DemoRunner.find("python3") else {
            throw CLI.fail("the demo's sample project is in Python: install python3 (e.g. `apt-get install python3`) and run `aid demo` again")
        }
        let directory = try DemoRunner.makeDirectory()
        let project = directory + "/project"
        let paths = AidPaths(socket: directory + "/run/aid.sock", stateDirectory: directory + "/state",
                             configFile: directory + "/config/aid/config.toml")
        var client: RPCClient?
        defer {
            if let client {
                _ = try? client.call(DaemonShutdownRequest(drainTimeoutMs: 1000), timeout: .seconds(10))
                client.close()
            }
            if keep {
                print(ProposalPrinting.dim("Kept \(directory) (sample project in \(project); demo daemon log in \(paths.logFile))."))
            } else {
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/config/aid", withIntermediateDirectories: true)
        try DemoProject.write(into: project)
        try DemoProject.recordAnswer(in: directory + "/replay")
        try DemoProject.configuration(replayDirectory: directory + "/replay").write(toFile: paths.configFile, atomically: true, encoding: .utf8)

        step(1, "A sample project with a bug, in \(project):")
        let before = try DemoRunner.runTests(python: python, in: project)
        print(ProposalPrinting.dim(before.output.trimmingCharacters(in: .newlines)))
        print(before.passed ? "The tests pass already?" : "The tests fail.")

        step(2, "Asking through the whole pipeline (edit/propose, model replayed from a recording):")
        print(ProposalPrinting.bold("aid ask \"\(DemoProject.prompt)\" --file \(DemoProject.file) --line \(DemoProject.line)"))
        print("")
        let connected = try DaemonLauncher.connect(
            paths: paths,
            initialize: InitializeRequest(clientName: "aid-demo", clientVersion: AidVersion.current, workspaceRoot: project),
            autoStart: true, environment: ["XDG_CONFIG_HOME": directory + "/config"])
        client = connected
        let proposal: Proposal
        do {
            proposal = try ProposalPrinting.propose(
                EditProposeRequest(prompt: DemoProject.prompt, file: project + "/" + DemoProject.file,
                                   cursor: EditorPosition(line: DemoProject.line - 1, character: 0)),
                client: connected, stream: true)
        } catch RPCClientError.response(let error) {
            throw CLI.fail("edit/propose failed: \(error.message); the demo daemon's log is \(paths.logFile)")
        }
        print("")
        print(ProposalPrinting.coloured(proposal.diff), terminator: "")
        print(ProposalPrinting.dim(ProposalPrinting.summary(proposal)))
        guard proposal.applies else {
            throw CLI.fail("the proposed diff does not apply: \(proposal.applyError ?? "no reason given")")
        }

        step(3, "Applying it (edit/apply: all files or none, confined to the workspace):")
        let applied = try connected.call(EditApplyRequest(proposalId: proposal.proposalId))
        print("Wrote \(applied.files.map { "\($0.path) (\($0.status))" }.joined(separator: ", ")).")
        _ = try? connected.call(EditFeedbackRequest(proposalId: proposal.proposalId, outcome: "accepted", appliedBy: "daemon"))

        step(4, "Running the tests again:")
        let after = try DemoRunner.runTests(python: python, in: project)
        print(ProposalPrinting.dim(after.output.trimmingCharacters(in: .newlines)))
        guard after.passed else { throw CLI.fail("the tests still fail after the fix") }
        print(ProposalPrinting.bold("The tests pass."))
        print("")
        print("Next: configure a model (see \"Models\" in the README), then `aid ask \"...\" --file F --line N` in your project.")
    }

    private func step(_ number: Int, _ text: String) {
        print("")
        print(ProposalPrinting.bold("\(number). \(text)"))
    }
}

/// What the demo needs from the system.
enum DemoRunner {
    /// The path of `program` on `PATH`, if any.
    static func find(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A new private directory for the demo, with a path short enough for a Unix socket inside it.
    static func makeDirectory() throws -> String {
        var base = FileManager.default.temporaryDirectory.path
        if base.count > 60 { base = "/tmp" }
        var template = Array((base + "/aid-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CLI.fail("cannot create a temporary directory in \(base): \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }

    /// Runs the sample's unit tests; their output and whether they passed.
    static func runTests(python: String, in directory: String) throws -> (output: String, passed: Bool) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-m", "unittest", "-v"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: output, as: UTF8.self), process.terminationStatus == 0)
    }
}
