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
            let userFile = CLI.paths.configFile
            let workspaceRoot = workspace ?? FileManager.default.currentDirectoryPath
            var problems = 0
            for file in [userFile, AidConfiguration.workspaceFile(root: workspaceRoot)] {
                guard FileManager.default.fileExists(atPath: file) else {
                    print("- \(file): not present (defaults apply)")
                    continue
                }
                do {
                    _ = try ConfigFile.load(path: file)
                    print("ok \(file)")
                } catch {
                    problems += error.errors.count
                    for problem in error.errors { print("error \(problem)") }
                }
            }
            if problems == 0 {
                // The models' tables are checked on the merged files: a workspace may add routes
                // to the user's models.
                do {
                    let merged = try AidConfiguration.load(userFile: userFile, workspaceRoot: workspaceRoot)
                    problems += merged.modelErrors.count
                    for problem in merged.modelErrors { print("error \(problem)") }
                    if merged.modelErrors.isEmpty, !merged.models.models.isEmpty {
                        print("ok models: \(merged.models.models.keys.sorted().joined(separator: ", ")); routes: \(merged.models.routes.keys.sorted().joined(separator: ", "))")
                    }
                } catch {
                    problems += error.errors.count
                    for problem in error.errors { print("error \(problem)") }
                }
            }
            if problems > 0 { throw ExitCode(1) }
        }
    }
}
