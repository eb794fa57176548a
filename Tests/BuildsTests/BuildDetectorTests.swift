import AidConfig
import BuildDiagnostics
import Foundation
import Testing
@testable import Builds

@Suite("Build detection")
struct BuildDetectorTests {
    private func detect(_ files: [String], executable: [String] = []) throws -> BuildDetection {
        let workspace = try TemporaryWorkspace("detect")
        defer { workspace.delete() }
        for file in files { try workspace.write(file, "") }
        for file in executable {
            try workspace.write(file, "#!/bin/sh\n")
            chmod(workspace.path(file), 0o755)
        }
        return BuildDetector.detect(root: workspace.root)
    }

    @Test(arguments: [
        (["dune-project", "Makefile"], "dune build", "dune", BuildTool.dune),
        (["Package.swift"], "swift build", "swift", .swift),
        (["Cargo.toml"], "cargo check --message-format=json", "cargo", .cargo),
        (["go.mod"], "go build ./... && go vet ./...", "go", .go),
        (["tsconfig.json", "package.json"], "tsc --noEmit", "tsc", .tsc),
        (["CMakeLists.txt", "build/CMakeCache.txt"], "cmake --build build", "cmake", .cmake),
        (["CMakeLists.txt", "out-debug/CMakeCache.txt"], "cmake --build out-debug", "cmake", .cmake),
        (["build.gradle.kts"], "gradle build", "gradle", .generic),
        (["pom.xml"], "mvn -q compile", "maven", .generic),
        (["Makefile"], "make", "make", .make),
        (["CMakeLists.txt", "Makefile"], "make", "make", .make),
    ])
    func recognisesTheBuildSystem(files: [String], command: String, system: String, tool: BuildTool) throws {
        let plan = try #require(try detect(files).plan)
        #expect(plan.command == command)
        #expect(plan.buildSystem == system)
        #expect(plan.tool == tool)
    }

    @Test func prefersTheProjectsOwnWrappersAndTools() throws {
        #expect(try detect(["settings.gradle"], executable: ["gradlew"]).plan?.command == "./gradlew build")
        #expect(try detect(["tsconfig.json"], executable: ["node_modules/.bin/tsc"]).plan?.command == "node_modules/.bin/tsc --noEmit")
    }

    @Test func outputDirectoriesAreKnown() throws {
        #expect(try detect(["dune-project"]).plan?.outputDirectories.contains("_build") == true)
        #expect(try detect(["Package.swift"]).plan?.outputDirectories.contains(".build") == true)
        #expect(try detect(["Cargo.toml"]).plan?.outputDirectories == ["target"])
    }

    @Test func saysWhatToDoWhenNothingIsFound() throws {
        guard case .notFound(let reason) = try detect(["README.md"]) else { Issue.record("found a build"); return }
        #expect(reason.contains("set build.command in .aid/config.toml"))
        guard case .notFound(let cmake) = try detect(["CMakeLists.txt"]) else { Issue.record("found a build"); return }
        #expect(cmake.contains("cmake -B build"))
    }

    @Test func aConfiguredCommandWinsAndKeepsTheDetectedOutputDirectories() throws {
        let workspace = try TemporaryWorkspace("detect")
        defer { workspace.delete() }
        try workspace.write("dune-project", "")
        var build = BuildConfiguration()
        build.command = "dune build @check"
        build.environment = ["OCAMLRUNPARAM": "b"]
        build.timeoutMs = 5_000
        build.debounceMs = 50
        build.onChange = .queue
        let settings = BuildSettings.make(root: workspace.root, build: build)
        #expect(settings.plan?.command == "dune build @check")
        #expect(settings.plan?.buildSystem == "configured")
        #expect(settings.plan?.tool == .dune)
        #expect(settings.plan?.outputDirectories.contains("_build") == true)
        #expect(settings.environment == ["OCAMLRUNPARAM": "b"])
        #expect(settings.timeout == .seconds(5) && settings.debounce == .milliseconds(50) && settings.onChange == .queue)
        #expect(settings.plan?.testCommand == nil)
        build.testCommand = "dune test"
        let tested = BuildSettings.make(root: workspace.root, build: build)
        #expect(tested.plan?.testCommand == "dune test" && tested.plan?.displayCommand == "dune build @check && dune test")
    }

    @Test func settingsComeFromTheWorkspaceConfigurationFile() throws {
        let workspace = try TemporaryWorkspace("detect")
        defer { workspace.delete() }
        try workspace.write(".aid/config.toml", """
            [build]
            command = "make -k"
            timeout_ms = 2000
            on_change = "queue"
            env = { CC = "clang" }
            """)
        let settings = BuildSettings.load(root: workspace.root, userConfigFile: workspace.path("no-user-config.toml"))
        #expect(settings.plan?.command == "make -k")
        #expect(settings.plan?.tool == .make)
        #expect(settings.environment == ["CC": "clang"])
        #expect(settings.onChange == .queue)
        #expect(settings.configurationProblem == nil)
        try workspace.write(".aid/config.toml", "[build]\nenv = { CC = 1 }\n")
        let broken = BuildSettings.load(root: workspace.root, userConfigFile: workspace.path("no-user-config.toml"))
        #expect(broken.configurationProblem?.contains("build.env") == true)
        #expect(broken.plan == nil)
    }
}
