import AidTestSupport
import AidConfig
import Foundation
import Testing

struct BuildConfigTests {
    @Test func buildKeysAreReadWithTheirTypes() throws {
        let directory = URL(fileURLWithPath: TestDirectory.processBase).appendingPathComponent("aid-build-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(".aid"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            [build]
            command = "make -j4"
            test_command = "make check"
            timeout_ms = 30000
            debounce_ms = 150
            on_change = "queue"

            [build.env]
            CC = "clang"
            CFLAGS = "-O0 -g"
            """.write(to: directory.appendingPathComponent(".aid/config.toml"), atomically: true, encoding: .utf8)
        let configuration = try AidConfiguration.load(userFile: directory.appendingPathComponent("none.toml").path,
                                                      workspaceRoot: directory.path)
        #expect(configuration.build.command == "make -j4")
        #expect(configuration.build.testCommand == "make check")
        #expect(configuration.build.timeoutMs == 30_000)
        #expect(configuration.build.debounceMs == 150)
        #expect(configuration.build.onChange == .queue)
        #expect(configuration.build.environment == ["CC": "clang", "CFLAGS": "-O0 -g"])
    }

    @Test func defaultsApplyWithoutABuildTable() {
        let build = AidConfiguration().build
        #expect(build.command == nil)
        #expect(build.timeoutMs == 600_000 && build.debounceMs == 300 && build.onChange == .cancel)
        #expect(build.environment.isEmpty)
    }

    @Test func badBuildValuesSayWhatIsExpected() {
        do {
            _ = try ConfigFile.parse(text: """
                [build]
                env = { CC = 1 }
                on_change = "later"
                timeout_ms = 5
                """, path: "w/.aid/config.toml")
            Issue.record("accepted bad values")
        } catch {
            let messages = error.errors.map(\.description)
            #expect(messages.count == 3)
            #expect(messages.contains { $0.contains("'build.env'") && $0.contains("a table of strings") })
            #expect(messages.contains { $0.contains("'build.on_change'") && $0.contains("\"cancel\", \"queue\"") })
            #expect(messages.contains { $0.contains("'build.timeout_ms'") && $0.contains("from 1000") })
        }
    }
}
