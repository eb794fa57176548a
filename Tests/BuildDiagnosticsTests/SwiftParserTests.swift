import Foundation
import Testing

@testable import BuildDiagnostics

@Suite("swiftc / swift build")
struct SwiftParserTests {
    @Test(arguments: ["swift-typecheck.txt", "swift-typecheck-llvm.txt"])
    func errorsWithNotes(fixture: String) throws {
        let found = try Fixture.parse(fixture, tool: .swift, project: "swift")
        #expect(found.count == 3)
        let redeclaration = try #require(found.at("Broken.swift", 16))
        #expect(redeclaration.column == 6)
        #expect(redeclaration.severity == .error)
        #expect(redeclaration.message == "invalid redeclaration of 'describe()'")
        #expect(redeclaration.source == "swiftc")
        #expect(redeclaration.related == [
            RelatedInformation(path: "Broken.swift", line: 10, column: 6,
                               message: "'describe()' previously declared here"),
        ])
        let conversion = try #require(found.at("Broken.swift", 18))
        #expect(conversion.column == 18)
        #expect(conversion.message == "cannot convert value of type 'String' to expected argument type 'Int'")
        #expect(conversion.related.isEmpty)
    }

    @Test(arguments: ["swift-warnings.txt", "swift-warnings-llvm.txt"])
    func warningsMultiLineMessagesAndGroups(fixture: String) throws {
        let found = try Fixture.parse(fixture, tool: .swift, project: "swift")
        #expect(found.count == 4)
        #expect(found.allSatisfy { $0.severity == .warning })
        let custom = try #require(found.at("Warnings.swift", 9))
        #expect(custom.column == 14)
        #expect(custom.message == "first line\nsecond line")
        let deprecated = try #require(found.first { $0.line == 8 && $0.column == 17 })
        #expect(deprecated.message == "'legacy()' is deprecated: use modern()")
        #expect(deprecated.code == "DeprecatedDeclaration")
        let unused = try #require(found.at("Warnings.swift", 7))
        #expect(unused.code == "no-usage")
        #expect(unused.message.hasPrefix("initialization of immutable value 'unused' was never used"))
    }

    @Test func noteInAnotherFileAndNoteInsideTheBox() throws {
        let found = try Fixture.parse("swift-crossfile.txt", tool: .swift, project: "swift")
        #expect(found.count == 1)
        let error = try #require(found.first)
        #expect((error.path, error.line, error.column) == ("Sources/Job.swift", 2, 8))
        #expect(error.related == [
            RelatedInformation(path: "Sources/Job.swift", line: 2, column: 8, message: "add stubs for conformance"),
            RelatedInformation(path: "Sources/Runner.swift", line: 2, column: 10,
                               message: "protocol requires function 'run()' with type '() -> ()'"),
        ])
    }

    @Test func swiftBuildDuplicatesAreMerged() throws {
        let found = try Fixture.parse("swift-build.txt", tool: .swift, project: "swiftpm")
        // swift build prints the conformance error three times and the two
        // main.swift errors twice; driver lines without location are dropped.
        #expect(found.count == 3)
        let conformance = try #require(found.at("Sources/Demo/Model.swift", 5))
        #expect(conformance.column == 8)
        #expect(conformance.message == "type 'Square' does not conform to protocol 'Shape'")
        #expect(Set(conformance.related) == [
            RelatedInformation(path: "Sources/Demo/Model.swift", line: 2, column: 10,
                               message: "protocol requires function 'area()' with type '() -> Double'"),
            RelatedInformation(path: "Sources/Demo/Model.swift", line: 5, column: 8,
                               message: "add stubs for conformance"),
        ])
        let member = try #require(found.at("Sources/Demo/main.swift", 2))
        #expect(member.column == 20)
        #expect(member.message == "value of type 'Square' has no member 'area'")
        #expect(found.at("Sources/Demo/main.swift", 3)?.message == "cannot find 'totl' in scope")
    }

    // Skipped only when no Swift compiler is installed on the machine.
    @Test(.enabled(if: ToolRunner.find("swiftc") != nil, "swiftc is not installed"),
          .timeLimit(.minutes(2)))
    func liveTypecheck() async throws {
        let project = try ToolRunner.makeProject([
            "Sources/Live.swift": """
                func area() -> Int { 1 }
                func area() -> Int { 2 }
                let count: Int = "three"

                """,
        ])
        defer { try? FileManager.default.removeItem(at: project) }
        let swiftc = try #require(ToolRunner.find("swiftc"))
        let result = try await ToolRunner.run(swiftc, ["-typecheck", project.path + "/Sources/Live.swift"],
                                              in: project)
        #expect(result.status != 0)
        let found = DiagnosticParser.parse(tool: .swift, output: result.output, workspaceRoot: project.path)
        #expect(found.count == 2, "output was:\n\(result.output)")
        let redeclaration = try #require(found.at("Sources/Live.swift", 2))
        #expect(redeclaration.column == 6)
        #expect(redeclaration.severity == .error)
        #expect(redeclaration.message == "invalid redeclaration of 'area()'")
        #expect(redeclaration.related == [
            RelatedInformation(path: "Sources/Live.swift", line: 1, column: 6,
                               message: "'area()' previously declared here"),
        ])
        let conversion = try #require(found.at("Sources/Live.swift", 3))
        #expect(conversion.column == 18)
        #expect(conversion.message == "cannot convert value of type 'String' to specified type 'Int'")
    }
}
