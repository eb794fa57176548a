import AidProtocol
import Foundation
import Testing
@testable import Builds

/// What a monitor reports for builds that hang, fail or cannot start.
@Suite("Monitor: results")
struct MonitorResultTests {
    @Test func aHangingBuildIsKilledAtItsTimeoutAndReportedRed() async throws {
        try await withHarness(command: "sleep 300 & echo $! > out/child.pid; sleep 300", timeout: .milliseconds(800),
                              killGrace: .milliseconds(500)) { harness in
            await harness.monitor.start()
            let status = try await harness.finished(run: 1)
            #expect(status.state == .red)
            #expect(status.exitStatus == 143)
            #expect(status.message?.contains("ran longer than build.timeout_ms (800 ms)") == true)
            let child = try #require(pid(in: harness.workspace.read("out/child.pid")))
            try await eventually("the build's child to be gone") { processIsGone(child) }
        }
    }

    @Test func aCommandThatDoesNotExistIsRedWithAClearDiagnostic() async throws {
        try await withHarness(command: "no-such-build-tool-xyz build") { harness in
            let status = try await harness.startAndAwaitFirstBuild()
            #expect(status.state == .red)
            #expect(status.exitStatus == nil)
            #expect(status.diagnostics == [BuildDiagnostic(
                path: ".aid/config.toml", line: 1, severity: .error,
                message: "build command 'no-such-build-tool-xyz' not found; set build.command in .aid/config.toml", source: "aid")])
            #expect(status.message == "build command 'no-such-build-tool-xyz' not found; set build.command in .aid/config.toml")
        }
    }

    @Test func aFailureTheParserDoesNotRecogniseIsRedWithTheOutput() async throws {
        try await withHarness(command: "echo something odd happened; exit 2") { harness in
            let status = try await harness.startAndAwaitFirstBuild()
            #expect(status.state == .red)
            #expect(status.exitStatus == 2)
            #expect(status.outputTail == "something odd happened")
            #expect(status.message?.contains("exit status 2") == true)
        }
    }

    @Test func theTestCommandRunsAfterASuccessfulBuildAndAFailingTestMakesTheRunRed() async throws {
        // The build exits on its own (as configured commands often do); the tests still run.
        try await withHarness(command: "echo built >> out/steps; exit 0",
                              testCommand: "echo tested >> out/steps; printf 'src/a_test.py:7:1: error: expected 3, got 4\\n'; exit 1") { harness in
            let status = try await harness.startAndAwaitFirstBuild()
            #expect(lines(harness.workspace.read("out/steps")) == ["built", "tested"])
            #expect(status.state == .red && status.exitStatus == 1)
            #expect(status.command == "echo built >> out/steps; exit 0 && echo tested >> out/steps; printf 'src/a_test.py:7:1: error: expected 3, got 4\\n'; exit 1")
            #expect(status.diagnostics.first?.path == "src/a_test.py" && status.diagnostics.first?.line == 7)
        }
        // A failing build skips the tests.
        try await withHarness(command: "echo built >> out/steps; exit 2", testCommand: "echo tested >> out/steps") { harness in
            let status = try await harness.startAndAwaitFirstBuild()
            #expect(lines(harness.workspace.read("out/steps")) == ["built"])
            #expect(status.state == .red && status.exitStatus == 2)
        }
    }

    @Test func compilerDiagnosticsArePassedOnWithTheStatus() async throws {
        let output = "src/main.c:3:5: error: use of undeclared identifier x\nsrc/main.c:1:1: warning: unused\n"
        try await withHarness(command: "printf '\(output)'; exit 1") { harness in
            let status = try await harness.startAndAwaitFirstBuild()
            #expect(status.state == .red)
            #expect(status.diagnostics.map(\.severity) == [.error, .warning])
            #expect(status.diagnostics.first?.path == "src/main.c")
            #expect(status.diagnostics.first?.line == 3)
            #expect(status.diagnostics.first?.column == 5)
            // The context engine gets them too, errors first, with their source lines.
            try harness.workspace.write("src/main.c", "int main(void) {\n  int y;\n    x = 1;\n}\n")
            let located = await harness.monitor.diagnostics(focus: DiagnosticsFocus(path: "src/main.c", line: 3), contextLines: 1)
            #expect(located.first?.diagnostic.severity == .error)
            #expect(located.first?.sourceLines == [SourceLine(number: 2, text: "  int y;"), SourceLine(number: 3, text: "    x = 1;"),
                                                  SourceLine(number: 4, text: "}")])
        }
    }

    @Test func theStatusGoesRunningThenGreenAndKeepsThePreviousDiagnosticsWhileRunning() async throws {
        try await withHarness(command: "if [ -e out/fail ]; then echo 'a.c:1:1: error: bad'; exit 1; fi") { harness in
            try harness.workspace.write("out/fail", "")
            #expect(try await harness.startAndAwaitFirstBuild().state == .red)
            try harness.workspace.remove("out/fail")
            try harness.workspace.write("src/x.txt", "x\n")
            let running = try await harness.statuses.next("running") { $0.state == .running && $0.run == 2 }
            #expect(running.diagnostics.count == 1, "while running, the previous run's diagnostics stay")
            #expect(running.durationMs == nil && running.exitStatus == nil)
            let green = try await harness.statuses.next("green") { $0.state == .green }
            #expect(green.run == 2 && green.diagnostics.isEmpty && green.exitStatus == 0)
            let startedAt = try #require(green.startedAt)
            #expect(startedAt.hasSuffix("Z"), "UTC: \(startedAt)")
            #expect((try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(startedAt)) != nil)
        }
    }
}
