import AidProtocol
import ArgumentParser
import Daemon
import Foundation
import JSONRPC

@main
struct AidCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aid",
        abstract: "Aid: the AI sidecar daemon for your editors, and its command line.",
        discussion: """
            Every editor (Emacs, Neovim, VS Code) and this command talk to one daemon per user over a \
            Unix socket. Commands that need the daemon start it when none is running.
            Shell completions: aid --generate-completion-script bash|zsh|fish
            """,
        version: AidVersion.current,
        subcommands: [DaemonCommand.self, StatusCommand.self, RestartCommand.self, StopCommand.self,
                      RPCCommand.self, LogsCommand.self, DoctorCommand.self, ConfigCommand.self, BuildCommand.self,
                      ModelsCommand.self, MetricsCommand.self, AskCommand.self, ContextCommand.self, DemoCommand.self])
}

/// Connecting from the command line.
enum CLI {
    static var paths: AidPaths { AidPaths.resolve() }

    /// Connects as `aid-cli` working in `workspaceRoot` (default: the current directory).
    static func connect(autoStart: Bool = true, workspaceRoot: String? = nil) throws -> RPCClient {
        try DaemonLauncher.connect(
            paths: paths,
            initialize: InitializeRequest(clientName: "aid-cli", clientVersion: AidVersion.current,
                                          workspaceRoot: workspaceRoot ?? FileManager.default.currentDirectoryPath,
                                          processId: Int(ProcessInfo.processInfo.processIdentifier)),
            autoStart: autoStart)
    }

    static func printJSON(_ value: JSONValue) {
        print(prettyJSON(value))
    }

    static func prettyJSON(_ value: JSONValue) -> String {
        let data = Data(JSONWriter.bytes(value))
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else { return String(decoding: data, as: UTF8.self) }
        return String(decoding: pretty, as: UTF8.self)
    }

    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("aid: \(message)\n".utf8))
        return ExitCode(1)
    }
}
