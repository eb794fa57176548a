import AidProtocol
import AidTestSupport
import Foundation
import Testing

/// The real daemon building a small Swift package as its files change.
@Suite("End to end: swift build")
struct EndToEndSwiftTests {
    static let files = [
        "Package.swift": """
            // swift-tools-version:5.9
            import PackageDescription

            let package = Package(name: "Tiny", targets: [.executableTarget(name: "Tiny")])

            """,
        "Sources/Tiny/main.swift": "let greeting: String = \"hello\"\nprint(greeting)\n",
    ]

    @Test func aTypeErrorTurnsTheBuildRedAtItsExactPlaceAndTheFixTurnsItGreen() async throws {
        let session = try DaemonSession("swift", files: Self.files)
        defer { session.cleanUp() }
        let first = try await session.buildNow()
        #expect(first.state == .green, "\(first)")
        #expect(first.command == "swift build" && first.buildSystem == "swift")

        try session.project.write("Sources/Tiny/main.swift", "let greeting: Int = \"hello\"\nprint(greeting)\n")
        let broken = try await session.nextResult(after: first.run ?? 0, timeout: .seconds(300))
        #expect(broken.running.changedPaths == ["Sources/Tiny/main.swift"])
        #expect(broken.result.state == .red)
        #expect(broken.result.diagnostics == [BuildDiagnostic(
            path: "Sources/Tiny/main.swift", line: 1, column: 21, severity: .error,
            message: "cannot convert value of type 'String' to specified type 'Int'", source: "swiftc")])

        try session.project.saveAtomically("Sources/Tiny/main.swift", "let greeting: Int = 42\nprint(greeting)\n")
        let fixed = try await session.nextResult(after: broken.result.run ?? 0, timeout: .seconds(300))
        #expect(fixed.result.state == .green)
        #expect(fixed.result.diagnostics.isEmpty)
    }
}
