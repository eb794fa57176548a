import AidProtocol
import Foundation

/// How `aid build` shows a build status as text.
enum BuildStatusRendering {
    /// Several lines: the state, the command, then every diagnostic in compiler style; the
    /// output's tail when a failed build printed nothing recognisable.
    static func report(_ result: WorkspaceBuildStatus) -> String {
        let status = result.status
        var lines = ["build \(status.state.rawValue) in \(result.workspaceRoot)"]
        if let command = status.command {
            var details = ["\(command) (\(status.buildSystem ?? "?"))"]
            if let run = status.run { details.append("run \(run)" + (status.reason.map { ", \($0.rawValue)" } ?? "")) }
            if let duration = status.durationMs { details.append("\(duration) ms") }
            if let exit = status.exitStatus { details.append("exit \(exit)") }
            lines.append("  " + details.joined(separator: ", "))
        }
        if let paths = status.changedPaths, !paths.isEmpty { lines.append("  changed: " + paths.joined(separator: ", ")) }
        if let message = status.message { lines.append("  " + message) }
        if !status.diagnostics.isEmpty {
            lines.append(counts(status.diagnostics) + (status.state == .running ? " (from the previous run)" : "") + ":")
            lines += status.diagnostics.map(format)
        } else if status.state == .red, let tail = status.outputTail {
            lines.append("output (last lines):")
            lines += tail.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// One line: time, state, and what matters most about it.
    static func line(_ status: BuildStatus) -> String {
        let time = Date().formatted(date: .omitted, time: .standard)
        var text = "\(time) \(status.state.rawValue)"
        switch status.state {
        case .running:
            text += " \(status.command ?? "")"
            if let run = status.run { text += " (run \(run)" + (status.reason.map { ", \($0.rawValue)" } ?? "") + ")" }
            if let paths = status.changedPaths, !paths.isEmpty { text += ": " + paths.prefix(3).joined(separator: ", ") + (paths.count > 3 ? ", ..." : "") }
        case .green, .red:
            if let duration = status.durationMs { text += " in \(duration) ms" }
            if !status.diagnostics.isEmpty { text += ", " + counts(status.diagnostics) }
            if let first = status.diagnostics.first(where: { $0.severity == .error }) ?? status.diagnostics.first {
                text += ": " + location(first) + " " + (first.message.split(separator: "\n").first.map(String.init) ?? "")
            } else if let message = status.message {
                text += ": " + message
            }
        case .unknown:
            if let message = status.message { text += ": " + message }
        }
        return text
    }

    private static func counts(_ diagnostics: [BuildDiagnostic]) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        let others = diagnostics.count - errors - warnings
        var parts = ["\(errors) error\(errors == 1 ? "" : "s")", "\(warnings) warning\(warnings == 1 ? "" : "s")"]
        if others > 0 { parts.append("\(others) note\(others == 1 ? "" : "s")") }
        return parts.joined(separator: ", ")
    }

    private static func location(_ diagnostic: BuildDiagnostic) -> String {
        "\(diagnostic.path):\(diagnostic.line)" + (diagnostic.column.map { ":\($0)" } ?? "") + ":"
    }

    private static func format(_ diagnostic: BuildDiagnostic) -> String {
        let message = diagnostic.message.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n    ")
        var text = "\(location(diagnostic)) \(diagnostic.severity.rawValue): \(message)" + (diagnostic.code.map { " [\($0)]" } ?? "")
        for related in diagnostic.related {
            text += "\n  \(related.path):\(related.line)" + (related.column.map { ":\($0)" } ?? "") + ": note: \(related.message)"
        }
        return text
    }
}
