import Testing

@testable import BuildDiagnostics

@Suite("tsc")
struct TypeScriptParserTests {
    @Test(arguments: ["tsc-default.txt", "tsc-pretty-false.txt", "tsc-pretty.txt"])
    func allFormsFindTheSameErrors(fixture: String) throws {
        let found = try Fixture.parse(fixture, tool: .tsc, project: "tsc")
        #expect(found.map { "\($0.path):\($0.line):\($0.column ?? 0)" } == [
            "src/app.ts:3:7", "src/app.ts:4:7", "src/app.ts:5:20", "src/app.ts:6:16", "src/app.ts:7:7",
            "src/util.ts:2:3",
        ])
        #expect(found.map(\.code) == ["TS2741", "TS2322", "TS2322", "TS2304", "TS2322", "TS2322"])
        #expect(found.allSatisfy { $0.severity == .error && $0.source == "tsc" })
        let chained = try #require(found.at("src/app.ts", 7))
        #expect(chained.message == """
            Type '(user: User) => string' is not assignable to type '(user: User) => number'.
            Type 'string' is not assignable to type 'number'.
            """)
    }

    @Test func prettyFormRelatedLocations() throws {
        let found = try Fixture.parse("tsc-pretty.txt", tool: .tsc, project: "tsc")
        #expect(found.at("src/app.ts", 3)?.related == [
            RelatedInformation(path: "src/model.ts", line: 3, column: 3, message: "'age' is declared here."),
        ])
        #expect(found.at("src/app.ts", 5)?.related == [
            RelatedInformation(path: "src/model.ts", line: 3, column: 3,
                               message: "The expected type comes from property 'age' which is declared here on type 'User'"),
        ])
        #expect(found.at("src/app.ts", 4)?.related == [])
    }

    @Test func headerForms() {
        let plain = TypeScriptParser.header("src/a.ts(12,5): error TS2322: Type 'x' is wrong.")
        #expect(plain?.path == "src/a.ts")
        #expect(plain?.line == 12)
        #expect(plain?.column == 5)
        let pretty = TypeScriptParser.header("src/a.ts:12:5 - warning TS6133: 'x' is declared but never used.")
        #expect(pretty?.severity == .warning)
        #expect(pretty?.code == "TS6133")
        #expect(TypeScriptParser.header("src/a.ts(12,5): error: no code") == nil)
    }
}
