import Testing

@testable import BuildDiagnostics

@Suite("go build / go vet")
struct GoParserTests {
    @Test func buildErrorsAcrossPackages() throws {
        let found = try Fixture.parse("go-build.txt", tool: .go, project: "go")
        #expect(found.count == 4)
        let constant = try #require(found.at("pkg/shapes/shapes.go", 4))
        #expect(constant.column == 9)
        #expect(constant.severity == .error)
        #expect(constant.message == #"cannot use "many" (untyped string constant) as int value in return statement"#)
        let redeclared = try #require(found.at("main.go", 16))
        #expect(redeclared.message == "value redeclared in this block")
        #expect(redeclared.related == [
            RelatedInformation(path: "main.go", line: 14, column: 6, message: "other declaration of value"),
        ])
        let interface = try #require(found.at("main.go", 19))
        #expect(interface.message == """
            cannot use Square{…} (value of type Square) as type Shape in variable declaration:
            Square does not implement Shape (missing Perimeter method)
            """)
        #expect(found.at("main.go", 20)?.message == "undefined: undefinedName")
    }

    @Test func vetPrefixAndFindings() throws {
        let broken = try Fixture.parse("go-vet-broken.txt", tool: .go, project: "go")
        // go vet checks packages in parallel, so their order varies between runs.
        #expect(Set(broken.map(\.path)) == ["pkg/shapes/shapes.go", "main.go"])
        #expect(broken.at("main.go", 16)?.message == "value redeclared in this block")
        #expect(broken.at("pkg/shapes/shapes.go", 4)?.column == 9)
        let vet = try Fixture.parse("go-vet.txt", tool: .go, project: "govet")
        #expect(vet.count == 2)
        #expect(vet.at("main.go", 7)?.message == "fmt.Printf format %d has arg name of wrong type string")
        #expect(vet.at("main.go", 9)?.column == 2)
    }
}
