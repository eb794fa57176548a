import AidTestSupport
import Foundation
import Testing

/// `aid demo` as a new user runs it: a fresh home, no configuration, no daemon, no network.
@Suite struct DemoTests {
    @Test func demoRunsTheWholePipelineOfflineAndTheSampleTestsPass() async throws {
        let home = try TestDirectory("h")
        defer { home.remove() }
        let executable = try TestDaemon.builtExecutable()
        let result = try await offload { () throws -> (status: Int32, output: String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["demo", "--keep"]
            var environment = ProcessInfo.processInfo.environment
            for key in ["AID_SOCKET", "AID_STATE_DIR", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR", "AID_TEST_EXECUTABLE"] {
                environment[key] = nil
            }
            environment["HOME"] = home.path
            environment["TMPDIR"] = home.path
            process.environment = environment
            process.currentDirectoryURL = URL(fileURLWithPath: home.path)
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self))
        }
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("FAILED (failures=2)"), "the sample's tests fail first: \(result.output)")
        #expect(result.output.contains("+    return a + b"), "the diff is shown: \(result.output)")
        #expect(result.output.contains("Wrote calc.py (modified)"))
        // The demo kept its directory in the temporary home; the sample's tests pass there now.
        let demos = try FileManager.default.contentsOfDirectory(atPath: home.path).filter { $0.hasPrefix("aid-demo-") }
        let project = home.file(try #require(demos.first) + "/project")
        let calc = try String(contentsOfFile: project + "/calc.py", encoding: .utf8)
        #expect(calc.contains("return a + b") && !calc.contains("return a - b"))
        let tests = Process()
        tests.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tests.arguments = ["python3", "-m", "unittest", "-q"]
        tests.currentDirectoryURL = URL(fileURLWithPath: project)
        tests.standardOutput = FileHandle.nullDevice
        tests.standardError = FileHandle.nullDevice
        try tests.run()
        tests.waitUntilExit()
        #expect(tests.terminationStatus == 0, "the sample's tests pass after the demo")
        // The demo's own daemon is gone and the user's paths were never used.
        #expect(!FileManager.default.fileExists(atPath: home.file(".local/state/aid")))
        #expect(!FileManager.default.fileExists(atPath: home.file(".config/aid")))
    }
}
