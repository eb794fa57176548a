import AidProtocol
import ArgumentParser
import Foundation
import JSONRPC

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "See and run the build the daemon keeps of a workspace.",
        discussion: """
            The daemon builds every workspace a client works in whenever its files change, with the \
            command set as build.command in <root>/.aid/config.toml or detected from the build files \
            (dune-project, Package.swift, Cargo.toml, go.mod, tsconfig.json, CMakeLists.txt with a \
            configured build directory, Gradle, pom.xml, Makefile).
            """,
        subcommands: [Status.self, Run.self, Watch.self])

    /// Options every build subcommand takes.
    struct Common: ParsableArguments {
        @Option(help: "The workspace root (default: the current directory).")
        var workspace: String?

        @Flag(help: "Print JSON instead of text.")
        var json = false

        /// The workspace as an absolute path.
        var root: String {
            let current = FileManager.default.currentDirectoryPath
            guard let workspace else { return current }
            return workspace.hasPrefix("/") ? workspace : URL(fileURLWithPath: workspace, relativeTo: URL(fileURLWithPath: current)).path
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Show the build status: running, or the last result with its diagnostics.")

        @OptionGroup var common: Common

        func run() throws {
            let client = try CLI.connect(workspaceRoot: common.root)
            defer { client.close() }
            let result = try client.call(BuildStatusRequest(workspaceRoot: common.root))
            if common.json {
                CLI.printJSON(try JSONCoding.jsonValue(result))
            } else {
                print(BuildStatusRendering.report(result))
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "Build now and show the result.",
            discussion: "Exit status: 0 when the build is green, 1 otherwise.")

        @OptionGroup var common: Common

        @Flag(help: "Start the build and return at once.")
        var noWait = false

        func run() throws {
            let client = try CLI.connect(workspaceRoot: common.root)
            defer { client.close() }
            let result = try client.call(BuildRunRequest(workspaceRoot: common.root, wait: noWait ? false : nil),
                                         timeout: .seconds(86_400))
            if common.json {
                CLI.printJSON(try JSONCoding.jsonValue(result))
            } else {
                print(BuildStatusRendering.report(result))
            }
            if !noWait && result.status.state != .green { throw ExitCode(1) }
        }
    }

    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch", abstract: "Print the build status, then one line for every change of it, until interrupted.",
            discussion: "With --json every line is the JSON of a build/statusChanged notification's params.")

        @OptionGroup var common: Common

        func run() throws {
            let client = try CLI.connect(workspaceRoot: common.root)
            defer { client.close() }
            let json = common.json
            client.onNotification { method, params in
                guard method == BuildStatusChangedNotification.method, let params,
                      let notification = try? JSONCoding.decode(BuildStatusChangedNotification.self, from: params) else { return }
                let status = WorkspaceBuildStatus(workspaceRoot: notification.workspaceRoot, status: notification.status)
                Self.emit(status, json: json)
            }
            let current = try client.call(BuildStatusRequest(workspaceRoot: common.root))
            Self.emit(current, json: json)
            // Until interrupted; the client reconnects by itself when the daemon restarts.
            while true { Thread.sleep(forTimeInterval: 3600) }
        }

        private static func emit(_ status: WorkspaceBuildStatus, json: Bool) {
            let line = json ? ((try? JSONWriter.string(JSONCoding.jsonValue(status))) ?? "{}") : BuildStatusRendering.line(status.status)
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }
}
