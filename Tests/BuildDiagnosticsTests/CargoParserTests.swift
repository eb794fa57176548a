import Testing

@testable import BuildDiagnostics

@Suite("cargo --message-format=json")
struct CargoParserTests {
    @Test func borrowErrorsWithSpansChildrenAndCodes() throws {
        let found = try Fixture.parse("cargo-check.txt", tool: .cargo, project: "cargo")
        // Two errors and a warning; failure notes and non-JSON lines are ignored.
        #expect(found.count == 3)
        let moved = try #require(found.at("src/main.rs", 11))
        #expect(moved.code == "E0382")
        #expect(moved.source == "rustc")
        #expect((moved.column, moved.endLine, moved.endColumn) == (23, 11, 24))
        #expect(moved.message == "borrow of moved value: `s`\nvalue borrowed here after move")
        #expect(moved.related.first == RelatedInformation(path: "src/main.rs", line: 10, column: 19,
                                                          message: "value moved here"))
        #expect(moved.related.contains(RelatedInformation(
            path: "src/main.rs", line: 10, column: 20,
            message: "help: consider cloning the value if the performance cost is acceptable (suggested replacement: `.clone()`)")))
        #expect(moved.related.count == 5)

        let borrow = try #require(found.at("src/util.rs", 4))
        #expect(borrow.code == "E0502")
        #expect(borrow.related.map(\.message) == ["immutable borrow occurs here", "immutable borrow later used here"])

        let unused = try #require(found.at("src/main.rs", 8))
        #expect(unused.severity == .warning)
        #expect(unused.code == "unused_variables")
        // A child note without spans continues the message.
        #expect(unused.message == """
            unused variable: `unused`
            note: `#[warn(unused_variables)]` (part of `#[warn(unused)]`) on by default
            """)
    }

    @Test func workspaceMemberPathsAreRelativeToTheCargoWorkspace() throws {
        let found = try Fixture.parse("cargo-workspace.txt", tool: .cargo, project: "cargo-ws")
        #expect(found.count == 1)
        let error = try #require(found.first)
        #expect((error.path, error.line, error.column) == ("crates/core/src/lib.rs", 2, 5))
        #expect(error.code == "E0308")
        #expect(error.message == """
            mismatched types
            expected `u32`, found `Result<u32, ParseIntError>`
            note: expected type `u32`
               found enum `Result<u32, ParseIntError>`
            """)
        #expect(error.related.first == RelatedInformation(path: "crates/core/src/lib.rs", line: 1, column: 30,
                                                          message: "expected `u32` because of return type"))
    }

    @Test func aidWorkspaceAboveTheCargoWorkspace() throws {
        // The same output seen from a workspace root one level up.
        let output = try Fixture.text("cargo-workspace.txt")
        let found = CargoParser().parse(output: output, workspaceRoot: Fixture.recordingRoot)
        #expect(found.first?.path == "cargo-ws/crates/core/src/lib.rs")
    }
}
