import AidProtocol
import Models

/// The keys a configuration file may hold, what each expects, and its default.
/// Later subsystems add their keys here; a key pattern may use `*` for a name the user chooses
/// (for example `models.*.provider`).
public struct ConfigSchema: Sendable {
    public enum Expected: Sendable {
        case integer(ClosedRange<Int>)
        case string
        case oneOf([String])
        case boolean
        case stringArray
        /// A table whose values are all strings (such as environment variables).
        case tableOfStrings

        var description: String {
            switch self {
            case .integer(let range): return "an integer from \(range.lowerBound) to \(range.upperBound)"
            case .string: return "a string"
            case .oneOf(let choices): return "one of " + choices.map { "\"\($0)\"" }.joined(separator: ", ")
            case .boolean: return "true or false"
            case .stringArray: return "an array of strings"
            case .tableOfStrings: return "a table of strings"
            }
        }

        func accepts(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.integer(let range), .int(let i)): return range.contains(i)
            case (.string, .string): return true
            case (.oneOf(let choices), .string(let s)): return choices.contains(s)
            case (.boolean, .bool): return true
            case (.stringArray, .array(let elements)): return elements.allSatisfy { $0.stringValue != nil }
            case (.tableOfStrings, .object(let members)): return members.values.allSatisfy { $0.stringValue != nil }
            default: return false
            }
        }
    }

    public struct Key: Sendable {
        public var pattern: String
        public var expected: Expected
        public var help: String
        public init(_ pattern: String, _ expected: Expected, _ help: String) {
            self.pattern = pattern
            self.expected = expected
            self.help = help
        }
    }

    public var keys: [Key]
    /// Top-level tables that another module checks as a whole (the model gateway's `models`,
    /// `routes`, `experiments` and `gateway`, see `ModelsConfiguration.validate`): the schema
    /// checks only its own keys in them and leaves every other key to that module.
    public var delegatedTables: Set<String>

    public init(keys: [Key], delegatedTables: Set<String> = []) {
        self.keys = keys
        self.delegatedTables = delegatedTables
    }

    /// The keys known today.
    public static let standard = ConfigSchema(keys: [
        Key("daemon.log_level", .oneOf(["trace", "debug", "info", "notice", "warning", "error", "critical"]), "how much the daemon logs"),
        Key("daemon.log_max_bytes", .integer(65_536...1 << 30), "size at which the log file is rotated"),
        Key("daemon.log_files", .integer(1...50), "how many rotated log files are kept"),
        Key("daemon.max_frame_bytes", .integer(1024...1 << 30), "largest message a client may send"),
        Key("daemon.max_queued_bytes", .integer(65_536...1 << 30), "bytes waiting for a slow client before it is disconnected"),
        Key("daemon.drain_timeout_ms", .integer(0...600_000), "how long a restart or shutdown waits for requests in flight"),
        Key("build.command", .string, "the shell command that builds the workspace (default: detected from the build files)"),
        Key("build.test_command", .string, "the shell command that runs the workspace's tests"),
        Key("build.env", .tableOfStrings, "environment variables added to the build's environment"),
        Key("build.timeout_ms", .integer(1_000...86_400_000), "how long a build may run before its processes are killed"),
        Key("build.debounce_ms", .integer(0...60_000), "how long files must stay unchanged before a build starts"),
        Key("build.on_change", .oneOf(["cancel", "queue"]), "what a change during a build does: cancel it and start again, or build again after it"),
        Key("gateway.endpoint_enabled", .boolean, "whether the daemon serves the local OpenAI-compatible HTTP endpoint on 127.0.0.1"),
        Key("gateway.endpoint_port", .integer(0...65_535), "the TCP port of the local HTTP endpoint on 127.0.0.1 (0: any free port)"),
    ], delegatedTables: Set(ModelsConfiguration.topLevelKeys))

    func key(for path: [String]) -> Key? {
        keys.first { key in
            let parts = key.pattern.split(separator: ".").map(String.init)
            return parts.count == path.count && zip(parts, path).allSatisfy { $0 == "*" || $0 == $1 }
        }
    }

    /// Whether `path` is a table that some key lives under.
    func isTable(_ path: [String]) -> Bool {
        keys.contains { key in
            let parts = key.pattern.split(separator: ".").map(String.init)
            return parts.count > path.count && zip(parts, path).allSatisfy { $0 == "*" || $0 == $1 }
        }
    }

    /// Checks every key of `document`; returns one error per problem.
    func validate(_ document: JSONValue, file: String, lines: KeyLines) -> [ConfigError] {
        var errors: [ConfigError] = []
        func walk(_ value: JSONValue, _ path: [String]) {
            let dotted = path.joined(separator: ".")
            if path.count == 1, delegatedTables.contains(path[0]) {
                // Its module reports everything else in it, a value that is not a table included.
                if case .object(let members) = value {
                    for name in members.keys.sorted() where key(for: path + [name]) != nil { walk(members[name]!, path + [name]) }
                }
                return
            }
            if let key = key(for: path) {
                if !key.expected.accepts(value) {
                    errors.append(ConfigError(file: file, line: lines.line(of: path), key: dotted,
                                              message: "expected \(key.expected.description) (\(key.help)), got \(describe(value))"))
                }
                return
            }
            if case .object(let members) = value, path.isEmpty || isTable(path) {
                for name in members.keys.sorted() { walk(members[name]!, path + [name]) }
                return
            }
            let known = keys.map(\.pattern).filter { $0.hasPrefix(path.dropLast().joined(separator: ".")) }
            let suggestion = known.isEmpty ? keys.map(\.pattern).joined(separator: ", ") : known.joined(separator: ", ")
            errors.append(ConfigError(file: file, line: lines.line(of: path), key: dotted,
                                      message: "unknown key; known keys here: \(suggestion)"))
        }
        walk(document, [])
        return errors
    }

    private func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        default: return value.typeDescription
        }
    }
}
