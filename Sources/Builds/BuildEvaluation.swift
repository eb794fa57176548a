import AidProtocol
import BuildDiagnostics

/// What a finished run means: green or red, the diagnostics, and what to tell the user.
public struct BuildEvaluation: Sendable {
    public var state: BuildStatus.State
    public var diagnostics: [Diagnostic]
    /// Said in the status besides the diagnostics, when there is more to say.
    public var message: String?
    /// The last lines of the output.
    public var outputTail: String?

    /// How many lines of output ``outputTail`` keeps at most.
    public static let tailLines = 40

    /// Judges `result` of running `plan` in `root`.
    public static func evaluate(_ result: BuildProcessResult, plan: BuildPlan, root: String, timeout: Duration) -> BuildEvaluation {
        let tail = Self.tail(result.output)
        switch result.termination {
        case .commandNotFound(let program):
            return notFound(program, plan: plan, tail: tail)
        case .spawnFailed(let reason):
            let message = "could not start the build command `\(plan.command)`: \(reason)"
            return BuildEvaluation(state: .red, diagnostics: [configurationDiagnostic(message, plan: plan)], message: message, outputTail: tail)
        case .exited(127) where CommandLookup.notFoundProgram(inShellOutput: result.output) != nil:
            return notFound(CommandLookup.notFoundProgram(inShellOutput: result.output)!, plan: plan, tail: tail)
        case .exited, .signalled:
            break
        }
        let diagnostics = DiagnosticParser.parse(tool: plan.tool, output: result.output, workspaceRoot: root)
        if result.timedOut {
            let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
            return BuildEvaluation(state: .red, diagnostics: diagnostics,
                                   message: "the build ran longer than build.timeout_ms (\(milliseconds) ms) and was killed with every process it started",
                                   outputTail: tail)
        }
        var notes: [String] = []
        if result.outputTruncated { notes.append("the output was too long and was cut; diagnostics after the cut are missing") }
        switch result.termination {
        case .exited(0):
            return BuildEvaluation(state: .green, diagnostics: diagnostics, message: notes.first, outputTail: tail)
        case .signalled(let signal):
            notes.insert("the build was killed by signal \(signal)", at: 0)
        case .exited(let status) where !diagnostics.contains(where: { $0.severity == .error }):
            notes.insert("the build failed with exit status \(status) but printed no error Aid recognises; see the output", at: 0)
        default:
            break
        }
        return BuildEvaluation(state: .red, diagnostics: diagnostics, message: notes.isEmpty ? nil : notes.joined(separator: "; "),
                               outputTail: tail)
    }

    private static func notFound(_ program: String, plan: BuildPlan, tail: String?) -> BuildEvaluation {
        let message = "build command '\(program)' not found; set build.command in .aid/config.toml"
        return BuildEvaluation(state: .red, diagnostics: [configurationDiagnostic(message, plan: plan)], message: message, outputTail: tail)
    }

    /// A diagnostic about the build's configuration: on `.aid/config.toml` for a configured
    /// command, else on the file the build system was recognised by.
    private static func configurationDiagnostic(_ message: String, plan: BuildPlan) -> Diagnostic {
        let path = plan.buildSystem == "configured" ? ".aid/config.toml" : (plan.marker ?? ".aid/config.toml")
        return Diagnostic(path: path, line: 1, severity: .error, message: message, source: "aid")
    }

    /// The last ``tailLines`` lines of `output`, nil when it is empty.
    static func tail(_ output: String) -> String? {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        let text = lines.suffix(tailLines).joined(separator: "\n")
        return text.isEmpty ? nil : String(text.suffix(8192))
    }
}
