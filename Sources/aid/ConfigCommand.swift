import AidConfig
import ArgumentParser
import Daemon
import Foundation

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Work with the configuration files.",
                                                    subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check the user's configuration and a workspace's overlay; print every problem.",
            discussion: "The user's file is $XDG_CONFIG_HOME/aid/config.toml; a workspace's is <root>/.aid/config.toml.")

        @Option(help: "The workspace whose .aid/config.toml to check too (default: the current directory).")
        var workspace: String?

        func run() throws {
            let check = ConfigurationCheck(
                userFile: CLI.paths.configFile,
                workspaceRoot: workspace ?? FileManager.default.currentDirectoryPath)
            for (file, outcome) in check.files {
                switch outcome {
                case .absent: print("- \(file): not present (defaults apply)")
                case .valid: print("ok \(file)")
                case .invalid(let errors): for problem in errors { print("error \(problem)") }
                }
            }
            for problem in check.modelErrors { print("error \(problem)") }
            if let merged = check.merged, check.problems.isEmpty, !merged.models.models.isEmpty {
                print("ok models: \(merged.models.models.keys.sorted().joined(separator: ", ")); routes: \(merged.models.routes.keys.sorted().joined(separator: ", "))")
            }
            if !check.problems.isEmpty { throw ExitCode(1) }
        }
    }
}
