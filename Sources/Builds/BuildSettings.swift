import AidConfig
import Foundation

/// Everything a ``WorkspaceMonitor`` needs to know about how to build one workspace: the plan
/// (detected or configured) and the `build.*` settings in force.
public struct BuildSettings: Sendable, Equatable {
    /// How to build; nil when nothing was detected and no command is configured.
    public var plan: BuildPlan?
    /// Why `plan` is nil, saying how to configure a command.
    public var unavailableReason: String?
    /// Added to the daemon's environment for the build.
    public var environment: [String: String]
    /// After this long the build's process group gets SIGTERM.
    public var timeout: Duration
    /// After SIGTERM, how long before SIGKILL.
    public var killGrace: Duration
    /// Quiet time after the last change before a build starts.
    public var debounce: Duration
    /// What a change during a build does.
    public var onChange: BuildConfiguration.OnChange
    /// A problem in the configuration files (the defaults apply meanwhile).
    public var configurationProblem: String?

    /// Creates settings.
    public init(plan: BuildPlan?, unavailableReason: String? = nil, environment: [String: String] = [:],
                timeout: Duration = .seconds(600), killGrace: Duration = .seconds(2), debounce: Duration = .milliseconds(300),
                onChange: BuildConfiguration.OnChange = .cancel, configurationProblem: String? = nil) {
        self.plan = plan
        self.unavailableReason = unavailableReason
        self.environment = environment
        self.timeout = timeout
        self.killGrace = killGrace
        self.debounce = debounce
        self.onChange = onChange
        self.configurationProblem = configurationProblem
    }

    /// Reads the user's configuration with the workspace's `.aid/config.toml` on top and looks
    /// at the workspace's build files. An invalid file is reported in `configurationProblem`
    /// and the user's file alone (or the defaults) apply.
    public static func load(root: String, userConfigFile: String) -> BuildSettings {
        var problem: String?
        var configuration: AidConfiguration
        do {
            configuration = try AidConfiguration.load(userFile: userConfigFile, workspaceRoot: root)
        } catch {
            problem = error.description
            configuration = (try? AidConfiguration.load(userFile: userConfigFile)) ?? AidConfiguration()
        }
        return make(root: root, build: configuration.build, configurationProblem: problem)
    }

    /// Settings from `build.*` values for the workspace at `root`.
    public static func make(root: String, build: BuildConfiguration, configurationProblem: String? = nil) -> BuildSettings {
        let detection = BuildDetector.detect(root: root)
        var plan = detection.plan
        var reason: String?
        if let command = build.command, !command.trimmingCharacters(in: .whitespaces).isEmpty {
            plan = .configured(command: command, detected: plan)
        } else if case .notFound(let why) = detection {
            reason = why
        }
        if let test = build.testCommand?.trimmingCharacters(in: .whitespacesAndNewlines), !test.isEmpty {
            plan?.testCommand = test
        }
        return BuildSettings(plan: plan, unavailableReason: reason, environment: build.environment,
                             timeout: .milliseconds(build.timeoutMs), debounce: .milliseconds(build.debounceMs),
                             onChange: build.onChange, configurationProblem: configurationProblem)
    }
}
