import Testing

@testable import BuildDiagnostics

@Suite("GCC, Clang, make, CMake")
struct CCompilerParserTests {
    @Test func gccErrorsWarningsNotesAndIncludeChain() throws {
        let found = try Fixture.parse("gcc-main.txt", tool: .gcc, project: "gcc")
        #expect(found.count == 5)
        let header = try #require(found.at("include/util.h", 2))
        #expect((header.column, header.severity) == (46, .error))
        #expect(header.message == "expected ‘;’ before ‘}’ token")
        #expect(header.related == [
            RelatedInformation(path: "main.c", line: 2, message: "In file included from here"),
        ])
        let conflict = try #require(found.at("main.c", 4))
        #expect(conflict.message == "conflicting types for ‘helper’; have ‘int(long int)’")
        #expect(conflict.related == [
            RelatedInformation(path: "include/util.h", line: 3, column: 5,
                               message: "previous declaration of ‘helper’ with type ‘int(int)’"),
        ])
        let unused = try #require(found.at("main.c", 7))
        #expect((unused.severity, unused.code, unused.source) == (.warning, "-Wunused-variable", "gcc"))
        #expect(unused.message == "unused variable ‘unused’")
        #expect(found.at("main.c", 8)?.code == "-Wformat=")
    }

    @Test func clangErrorsWarningsNotesAndIncludeChain() throws {
        let found = try Fixture.parse("clang-main.txt", tool: .clang, project: "clang")
        #expect(found.count == 5)
        let header = try #require(found.at("include/util.h", 2))
        #expect(header.message == "expected ';' after return statement")
        #expect(header.related.first?.path == "main.c")
        let conflict = try #require(found.at("main.c", 4))
        #expect(conflict.related == [
            RelatedInformation(path: "include/util.h", line: 3, column: 5, message: "previous declaration is here"),
        ])
        let implicit = try #require(found.at("main.c", 9))
        #expect(implicit.severity == .error)
        #expect(implicit.code == "-Wimplicit-function-declaration")
        #expect(implicit.message.hasSuffix("do not support implicit function declarations"))
        #expect(found.at("main.c", 8)?.code == "-Wformat")
        #expect(found.allSatisfy { $0.source == "clang" })
    }

    @Test(arguments: [("gcc-fatal.txt", BuildTool.gcc, "missing.h: No such file or directory"),
                      ("clang-fatal.txt", BuildTool.clang, "'missing.h' file not found")])
    func fatalErrors(fixture: String, tool: BuildTool, message: String) throws {
        let found = try Fixture.parse(fixture, tool: tool, project: tool.rawValue)
        #expect(found == [Diagnostic(path: "fatal.c", line: 1, column: 10, severity: .error, message: message,
                                     source: tool.rawValue)])
    }

    @Test func gccTemplateNotesAndInstantiationContext() throws {
        let found = try Fixture.parse("gcc-cpp.txt", tool: .gcc, project: "gcc")
        #expect(found.count == 2)
        let pushBack = try #require(found.at("vec.cpp", 9))
        #expect(pushBack.related.count == 4)
        #expect(pushBack.related.first?.path == "/usr/include/c++/12/bits/stl_vector.h")
        #expect(pushBack.related.first?.line == 1276)
        #expect(pushBack.related[1].message.hasPrefix("no known conversion for argument 1"))
        let product = try #require(found.at("vec.cpp", 5))
        #expect(product.related == [
            RelatedInformation(
                path: "vec.cpp", line: 10, column: 26,
                message: "In instantiation of ‘T twice(T) [with T = std::__cxx11::basic_string<char>]’: required from here"),
        ])
    }

    @Test func clangTemplateNotes() throws {
        let found = try Fixture.parse("clang-cpp.txt", tool: .clang, project: "clang")
        #expect(found.count == 2)
        let pushBack = try #require(found.at("vec.cpp", 9))
        // `.../12/../../../../include/...` is normalized.
        #expect(pushBack.related.map(\.path) == Array(repeating: "/usr/include/c++/12/bits/stl_vector.h", count: 2))
        let product = try #require(found.at("vec.cpp", 5))
        #expect(product.related == [
            RelatedInformation(
                path: "vec.cpp", line: 10, column: 21,
                message: "in instantiation of function template specialization 'twice<std::basic_string<char>>' requested here"),
        ])
    }

    @Test func multiLineMessages() throws {
        let gcc = try Fixture.parse("gcc-multiline.txt", tool: .gcc, project: "gcc")
        #expect(gcc.at("multiline.c", 2)?.message == "first\nsecond")
        #expect(gcc.at("multiline.c", 1)?.message == #"static assertion failed: "size must be 4\012see layout.h""#)
        let clang = try Fixture.parse("clang-multiline.txt", tool: .clang, project: "clang")
        let pragma = try #require(clang.at("multiline.c", 2))
        #expect(pragma.message == "first\nsecond")
        #expect(pragma.code == "-W#pragma-messages")
        #expect(clang.at("multiline.c", 1)?.message == "static assertion failed: size must be 4\nsee layout.h")
    }

    @Test func makeFollowsEnteringDirectory() throws {
        let found = try Fixture.parse("make-gcc.txt", tool: .make, project: "make")
        #expect(found.map(\.path) == ["src/app.c", "src/app.c"])
        #expect(found.map(\.severity) == [.warning, .error])
        #expect(found[0].code == "-Wint-conversion")
        #expect(found[1].message == "expected ‘;’ before ‘}’ token")
        #expect((found[1].line, found[1].column) == (3, 17))
    }

    @Test func cmakeAbsolutePathsBecomeRelative() throws {
        let found = try Fixture.parse("cmake-build.txt", tool: .cmake, project: "cmake")
        #expect(found.count == 1)
        let error = try #require(found.first)
        #expect((error.path, error.line, error.column) == ("src/main.c", 5, 17))
        #expect(error.message == "‘missing’ undeclared (first use in this function)")
        #expect(error.related.map(\.message)
                == ["each undeclared identifier is reported only once for each function it appears in"])
    }

    @Test func flagCodes() {
        func code(_ message: String) -> (String?, String) {
            var text = message
            let code = LineShape.extractFlag(from: &text)
            return (code, text)
        }
        #expect(code("unused x [-Wunused-variable]") == ("-Wunused-variable", "unused x"))
        #expect(code("unused x [-Werror,-Wunused-variable]") == ("-Wunused-variable", "unused x"))
        #expect(code("unused x [-Werror=unused-variable]") == ("-Wunused-variable", "unused x"))
        #expect(code("old [#DeprecatedDeclaration]") == ("DeprecatedDeclaration", "old"))
        #expect(code("index a[i]") == (nil, "index a[i]"))
    }
}
