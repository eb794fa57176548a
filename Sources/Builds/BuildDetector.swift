import BuildDiagnostics
import Foundation

/// What looking at a workspace root found.
public enum BuildDetection: Sendable, Equatable {
    /// A build system, and how to run it.
    case found(BuildPlan)
    /// Nothing to build; the reason says what was looked for and how to configure a command.
    case notFound(reason: String)

    /// The plan, when one was found.
    public var plan: BuildPlan? {
        if case .found(let plan) = self { return plan }
        return nil
    }
}

/// Recognises a workspace's build system by the files at its root, most specific first:
/// dune, SwiftPM, Cargo, Go, TypeScript, CMake (with a configured build directory), Gradle,
/// Maven, then make.
public enum BuildDetector {
    /// The files looked for, in order of preference, for messages.
    public static let markers = ["dune-project", "Package.swift", "Cargo.toml", "go.mod", "tsconfig.json",
                                 "CMakeLists.txt", "build.gradle(.kts)", "settings.gradle(.kts)", "pom.xml", "Makefile"]

    /// Looks at the files in `root`.
    public static func detect(root: String) -> BuildDetection {
        let files = FileProbe(root: root)
        if files.exists("dune-project") {
            return .found(BuildPlan(command: "dune build", buildSystem: "dune", tool: .dune, marker: "dune-project",
                                    outputDirectories: ["_build", "_opam"]))
        }
        if files.exists("Package.swift") {
            return .found(BuildPlan(command: "swift build", buildSystem: "swift", tool: .swift, marker: "Package.swift",
                                    outputDirectories: [".build", ".swiftpm"]))
        }
        if files.exists("Cargo.toml") {
            return .found(BuildPlan(command: "cargo check --message-format=json", buildSystem: "cargo", tool: .cargo,
                                    marker: "Cargo.toml", outputDirectories: ["target"]))
        }
        if files.exists("go.mod") {
            return .found(BuildPlan(command: "go build ./... && go vet ./...", buildSystem: "go", tool: .go, marker: "go.mod"))
        }
        if files.exists("tsconfig.json") {
            let local = "node_modules/.bin/tsc"
            let command = files.isExecutable(local) ? "\(local) --noEmit" : "tsc --noEmit"
            return .found(BuildPlan(command: command, buildSystem: "tsc", tool: .tsc, marker: "tsconfig.json",
                                    outputDirectories: ["node_modules"]))
        }
        var cmakeWithoutBuildDirectory = false
        if files.exists("CMakeLists.txt") {
            if let directory = files.cmakeBuildDirectory() {
                return .found(BuildPlan(command: "cmake --build \(ShellQuoting.quote(directory))", buildSystem: "cmake",
                                        tool: .cmake, marker: "CMakeLists.txt", outputDirectories: [directory]))
            }
            cmakeWithoutBuildDirectory = true
        }
        if let marker = ["build.gradle.kts", "build.gradle", "settings.gradle.kts", "settings.gradle"].first(where: files.exists) {
            let command = files.isExecutable("gradlew") ? "./gradlew build" : "gradle build"
            return .found(BuildPlan(command: command, buildSystem: "gradle", tool: .generic, marker: marker,
                                    outputDirectories: ["build", ".gradle"]))
        }
        if files.exists("pom.xml") {
            return .found(BuildPlan(command: "mvn -q compile", buildSystem: "maven", tool: .generic, marker: "pom.xml",
                                    outputDirectories: ["target"]))
        }
        if let marker = ["GNUmakefile", "makefile", "Makefile"].first(where: files.exists) {
            return .found(BuildPlan(command: "make", buildSystem: "make", tool: .make, marker: marker))
        }
        if cmakeWithoutBuildDirectory {
            return .notFound(reason: "CMakeLists.txt found in \(root) but no configured build directory (one with a CMakeCache.txt); run `cmake -B build` there, or set build.command in .aid/config.toml")
        }
        return .notFound(reason: "no build files in \(root) (looked for \(markers.joined(separator: ", "))); set build.command in .aid/config.toml")
    }
}

/// Existence checks below a root.
private struct FileProbe {
    let root: String

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: root + "/" + relative)
    }

    func isExecutable(_ relative: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: root + "/" + relative)
    }

    /// `build` when it holds a CMakeCache.txt, else the first other direct subdirectory that does.
    func cmakeBuildDirectory() -> String? {
        if exists("build/CMakeCache.txt") { return "build" }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted().first { !$0.hasPrefix(".") && exists($0 + "/CMakeCache.txt") }
    }
}
