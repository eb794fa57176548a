import AidTestSupport
import Foundation
import Testing
@testable import Builds

/// Running one build command: process group, output, timeout, cancellation, missing commands.
@Suite("Build process")
struct BuildProcessTests {
    private func process(_ command: String, in workspace: TemporaryWorkspace, timeout: Duration = .seconds(60),
                         killGrace: Duration = .seconds(2), environment: [String: String] = [:]) -> BuildProcess {
        BuildProcess(options: .init(command: command, directory: workspace.root,
                                    environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
                                    timeout: timeout, killGrace: killGrace))
    }

    @Test func capturesOutputExitStatusAndEnvironmentInTheWorkspace() async throws {
        let workspace = try TemporaryWorkspace()
        defer { workspace.delete() }
        let result = await process("echo out; echo err >&2; echo \"$AID_BUILD_TEST\"; pwd; exit 3", in: workspace,
                                   environment: ["AID_BUILD_TEST": "from build.env"]).run()
        #expect(result.termination == .exited(3))
        #expect(result.exitStatus == 3)
        #expect(result.output == "out\nerr\nfrom build.env\n\(workspace.root)\n")
        #expect(!result.timedOut && !result.cancelled)
    }

    @Test func aHangingBuildIsKilledAtItsTimeoutWithItsChildren() async throws {
        let workspace = try TemporaryWorkspace()
        defer { workspace.delete() }
        // One child that dies of SIGTERM, one that ignores it and needs SIGKILL.
        let command = """
            sleep 300 & echo $! > plain.pid
            sh -c 'trap "" TERM; sleep 300; echo unreachable' & echo $! > stubborn.pid
            sleep 300
            """
        let started = ContinuousClock.now
        let result = await process(command, in: workspace, timeout: .seconds(1), killGrace: .milliseconds(500)).run()
        #expect(result.timedOut)
        #expect(result.termination == .signalled(SIGTERM))
        #expect(result.exitStatus == 143)
        #expect(ContinuousClock.now - started >= .seconds(1))
        let plain = try #require(pid(in: workspace.read("plain.pid")))
        let stubborn = try #require(pid(in: workspace.read("stubborn.pid")))
        try await eventually("the build's children to be gone") { processIsGone(plain) && processIsGone(stubborn) }
        let evaluation = BuildEvaluation.evaluate(result, plan: .configured(command: command, detected: nil), root: workspace.root,
                                                  timeout: .seconds(1))
        #expect(evaluation.state == .red)
        #expect(evaluation.message?.contains("build.timeout_ms (1000 ms)") == true)
    }

    @Test func cancellingKillsTheProcessGroup() async throws {
        let workspace = try TemporaryWorkspace()
        defer { workspace.delete() }
        let build = process("sleep 300 & echo $! > child.pid; wait", in: workspace)
        let running = Task { await build.run() }
        try await eventually("the child to start") { pid(in: workspace.read("child.pid")) != nil }
        build.cancel()
        let result = await running.value
        #expect(result.cancelled)
        let child = try #require(pid(in: workspace.read("child.pid")))
        try await eventually("the child to be gone") { processIsGone(child) }
    }

    @Test func aBuildCancelledBeforeItStartsRunsNothing() async throws {
        let workspace = try TemporaryWorkspace()
        defer { workspace.delete() }
        let build = process("echo ran > ran.txt", in: workspace)
        build.cancel()
        let result = await build.run()
        #expect(result.cancelled)
        #expect(result.pid == nil)
        #expect(workspace.read("ran.txt") == nil)
    }

    @Test func processesLeftRunningByAFinishedBuildAreEnded() async throws {
        let workspace = try TemporaryWorkspace()
        defer { workspace.delete() }
        let result = await process("sleep 300 & echo $! > left.pid; echo done", in: workspace).run()
        #expect(result.termination == .exited(0))
        #expect(result.duration < .seconds(5), "a background process holding the output open does not hold up the result")
        let left = try #require(pid(in: workspace.read("left.pid")))
        try await eventually("the leftover process to be gone") { processIsGone(left) }
    }

    @Test func aCommandThatDoesNotExistGivesAClearDiagnostic() async throws {
        let workspace = try TemporaryWorkspace()
        defer { workspace.delete() }
        let command = "definitely-not-a-build-tool --all"
        let result = await process(command, in: workspace).run()
        #expect(result.termination == .commandNotFound("definitely-not-a-build-tool"))
        let evaluation = BuildEvaluation.evaluate(result, plan: .configured(command: command, detected: nil), root: workspace.root,
                                                  timeout: .seconds(60))
        #expect(evaluation.state == .red)
        let diagnostic = try #require(evaluation.diagnostics.first)
        #expect(diagnostic.message == "build command 'definitely-not-a-build-tool' not found; set build.command in .aid/config.toml")
        #expect(diagnostic.path == ".aid/config.toml")
        #expect(diagnostic.severity == .error)
    }

    @Test func aMissingProgramFurtherInTheCommandIsRecognisedFromTheShell() async throws {
        let workspace = try TemporaryWorkspace()
        defer { workspace.delete() }
        let command = "true && no-such-program-either"
        let result = await process(command, in: workspace).run()
        #expect(result.termination == .exited(127))
        let evaluation = BuildEvaluation.evaluate(result, plan: .configured(command: command, detected: nil), root: workspace.root,
                                                  timeout: .seconds(60))
        #expect(evaluation.diagnostics.first?.message == "build command 'no-such-program-either' not found; set build.command in .aid/config.toml")
    }
}
