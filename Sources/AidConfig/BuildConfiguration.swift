import AidProtocol

/// The `build.*` keys: how the daemon builds a workspace. Usually set in the workspace's
/// `.aid/config.toml`; every key has a default, and the command is detected when not set.
public struct BuildConfiguration: Sendable, Equatable {
    /// What a file change during a running build does.
    public enum OnChange: String, Sendable, Equatable {
        /// Kill the running build and start a new one.
        case cancel
        /// Let the running build finish, then build again.
        case queue
    }

    /// `build.command`: the shell command; nil means detect it from the build files.
    public var command: String?
    /// `build.test_command`: the shell command that runs the tests.
    public var testCommand: String?
    /// `build.env`: variables added to the build's environment.
    public var environment: [String: String] = [:]
    /// `build.timeout_ms`: the build's processes are killed after this long.
    public var timeoutMs = 600_000
    /// `build.debounce_ms`: files must be quiet this long before a build starts.
    public var debounceMs = 300
    /// `build.on_change`.
    public var onChange = OnChange.cancel

    public init() {}

    mutating func apply(_ table: JSONValue) {
        if let v = table["command"]?.stringValue { command = v }
        if let v = table["test_command"]?.stringValue { testCommand = v }
        if case .object(let members)? = table["env"] {
            for (name, value) in members { if let text = value.stringValue { environment[name] = text } }
        }
        if let v = table["timeout_ms"]?.intValue { timeoutMs = v }
        if let v = table["debounce_ms"]?.intValue { debounceMs = v }
        if let v = table["on_change"]?.stringValue, let choice = OnChange(rawValue: v) { onChange = choice }
    }
}
