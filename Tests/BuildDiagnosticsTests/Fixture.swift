import Foundation
import Testing

@testable import BuildDiagnostics

/// Access to the recorded tool output under `Fixtures/` (see `Fixtures/record.sh`).
enum Fixture {
    /// The directory `record.sh` builds its broken projects in; absolute paths
    /// inside the recordings start with it.
    static let recordingRoot = "/tmp/aid-diag-fixtures"

    /// The text of a recorded fixture.
    static func text(_ name: String) throws -> String {
        let directory = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures")
        return try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// Parses fixture `name` as output of `tool` run in project `project`.
    static func parse(_ name: String, tool: BuildTool, project: String) throws -> [Diagnostic] {
        DiagnosticParser.parse(tool: tool, output: try text(name), workspaceRoot: "\(recordingRoot)/\(project)")
    }
}

extension [Diagnostic] {
    /// The first diagnostic located at `path:line`, if any.
    func at(_ path: String, _ line: Int) -> Diagnostic? {
        first { $0.path == path && $0.line == line }
    }
}
