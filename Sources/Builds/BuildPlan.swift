import BuildDiagnostics

/// How one workspace is built: the command, which parser reads its output, and which
/// directories it writes to (never watched, so that a build does not trigger the next).
public struct BuildPlan: Sendable, Equatable {
    /// The shell command, run with `/bin/sh -c` in the workspace root.
    public var command: String
    /// `configured` when `build.command` set the command, else the detected build system:
    /// `dune`, `swift`, `cargo`, `go`, `make`, `tsc`, `cmake`, `gradle` or `maven`.
    public var buildSystem: String
    /// Which parser reads the output.
    public var tool: BuildTool
    /// The file (relative to the root) the build system was recognised by, nil for a configured
    /// command in a workspace without one.
    public var marker: String?
    /// Directories (relative to the root) the build writes to.
    public var outputDirectories: [String]
    /// `build.test_command`: run after the build when it succeeds; the run is red when it fails.
    public var testCommand: String?

    /// What the shell runs: the build, then the tests when the build succeeded. Each part runs
    /// in a subshell, so an `exit` in the build command does not skip the test verdict.
    public var shellCommand: String {
        guard let testCommand else { return command }
        return "(\n\(command)\n) && (\n\(testCommand)\n)"
    }

    /// The command as the status shows it.
    public var displayCommand: String {
        guard let testCommand else { return command }
        return "\(command) && \(testCommand)"
    }

    /// Creates a plan.
    public init(command: String, buildSystem: String, tool: BuildTool, marker: String?, outputDirectories: [String] = []) {
        self.command = command
        self.buildSystem = buildSystem
        self.tool = tool
        self.marker = marker
        self.outputDirectories = outputDirectories
    }

    /// The plan for a command set in the configuration. The output directories and marker of
    /// the detected build system (if any) still apply; the parser is chosen by the tool the
    /// command names (any format is recognised when it names none).
    public static func configured(command: String, detected: BuildPlan?) -> BuildPlan {
        BuildPlan(command: command, buildSystem: "configured", tool: tool(named: command) ?? detected?.tool ?? .generic,
                  marker: detected?.marker, outputDirectories: detected?.outputDirectories ?? [])
    }

    /// The parser for the first known tool that `command` runs, if any.
    static func tool(named command: String) -> BuildTool? {
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" || $0 == "&" || $0 == "|" })
        for word in words {
            switch word.split(separator: "/").last.map(String.init) ?? "" {
            case "dune": return .dune
            case "swift", "swiftc": return .swift
            case "cargo": return .cargo
            case "go": return .go
            case "tsc": return .tsc
            case "make", "gmake": return .make
            case "cmake", "ninja": return .cmake
            case "gcc", "g++", "cc", "c++": return .gcc
            case "clang", "clang++": return .clang
            default: continue
            }
        }
        return nil
    }
}
