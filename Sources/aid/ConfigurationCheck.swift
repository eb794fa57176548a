import AidConfig
import Foundation

/// What `aid config check` and `aid doctor` find in the configuration: each file checked on its
/// own, then the models' tables checked on the merged files (a workspace may add routes to the
/// user's models), so the two commands never disagree about a file.
struct ConfigurationCheck {
    /// The outcome for one configuration file.
    enum FileOutcome {
        case absent
        case valid
        case invalid([ConfigError])
    }

    /// Each file checked, user file first, with its outcome.
    var files: [(path: String, outcome: FileOutcome)] = []
    /// Mistakes in the models, routes and experiments of the merged files; checked only when
    /// every file is valid on its own.
    var modelErrors: [ConfigError] = []
    /// The merged configuration, when every file is valid on its own.
    var merged: AidConfiguration?

    /// Every mistake found, in the order the files and tables were checked.
    var problems: [ConfigError] {
        files.flatMap { file -> [ConfigError] in
            if case .invalid(let errors) = file.outcome { return errors }
            return []
        } + modelErrors
    }

    /// Checks the user's file and the workspace's `.aid/config.toml` under `workspaceRoot`.
    init(userFile: String, workspaceRoot: String) {
        for file in [userFile, AidConfiguration.workspaceFile(root: workspaceRoot)] {
            guard FileManager.default.fileExists(atPath: file) else {
                files.append((file, .absent))
                continue
            }
            do {
                _ = try ConfigFile.load(path: file)
                files.append((file, .valid))
            } catch {
                files.append((file, .invalid(error.errors)))
            }
        }
        guard problems.isEmpty else { return }
        do {
            let configuration = try AidConfiguration.load(userFile: userFile, workspaceRoot: workspaceRoot)
            merged = configuration
            modelErrors = configuration.modelErrors
        } catch {
            modelErrors = error.errors
        }
    }
}
