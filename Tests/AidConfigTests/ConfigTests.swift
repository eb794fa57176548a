import AidTestSupport
import AidConfig
import Foundation
import Testing

struct ConfigTests {
    @Test func validFileGivesItsValuesAndDefaultsForTheRest() throws {
        let file = try ConfigFile.parse(text: """
            # comment
            [daemon]
            log_level = "debug"
            max_frame_bytes = 2048
            """, path: "/u/config.toml")
        #expect(file.document["daemon"]?["log_level"] == "debug")
    }

    @Test func unknownKeyNamesFileLineAndKnownKeys() {
        do {
            _ = try ConfigFile.parse(text: "[daemon]\nlog_level = \"info\"\nmax_frame = 10\n", path: "/u/config.toml")
            Issue.record("accepted an unknown key")
        } catch {
            #expect(error.errors.count == 1)
            let problem = error.errors[0]
            #expect(problem.file == "/u/config.toml")
            #expect(problem.line == 3)
            #expect(problem.key == "daemon.max_frame")
            #expect(problem.description.contains("unknown key"))
            #expect(problem.description.contains("daemon.max_frame_bytes"))
        }
    }

    @Test func badValuesSayWhatIsExpected() {
        do {
            _ = try ConfigFile.parse(text: """
                [daemon]
                log_level = "loud"
                max_frame_bytes = "big"
                drain_timeout_ms = -5
                """, path: "w/.aid/config.toml")
            Issue.record("accepted bad values")
        } catch {
            let byKey = Dictionary(uniqueKeysWithValues: error.errors.map { ($0.key ?? "", $0) })
            #expect(byKey["daemon.log_level"]?.description == #"w/.aid/config.toml:2: 'daemon.log_level': expected one of "trace", "debug", "info", "notice", "warning", "error", "critical" (how much the daemon logs), got "loud""#)
            #expect(byKey["daemon.max_frame_bytes"]?.line == 3)
            #expect(byKey["daemon.max_frame_bytes"]?.description.contains("expected an integer from 1024 to 1073741824") == true)
            #expect(byKey["daemon.drain_timeout_ms"]?.description.contains("got -5") == true)
        }
    }

    @Test func unknownTopLevelTable() {
        #expect(throws: ConfigErrors.self) { try ConfigFile.parse(text: "[deamon]\nlog_level = \"info\"\n", path: "c.toml") }
    }

    @Test func syntaxErrorsGiveTheLine() {
        do {
            _ = try ConfigFile.parse(text: "[daemon]\nlog_level = \"info\nx = 1\n", path: "c.toml")
            Issue.record("accepted broken TOML")
        } catch {
            #expect(error.errors[0].line == 2)
            #expect(error.errors[0].description.contains("not valid TOML"))
        }
    }

    @Test func workspaceFileOverlaysTheUserFile() throws {
        let root = URL(fileURLWithPath: TestDirectory.processBase).appendingPathComponent("aid-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/.aid", withIntermediateDirectories: true)
        try "[daemon]\nlog_level = \"debug\"\ndrain_timeout_ms = 100\n".write(toFile: root + "/user.toml", atomically: true, encoding: .utf8)
        try "[daemon]\ndrain_timeout_ms = 700\n".write(toFile: root + "/.aid/config.toml", atomically: true, encoding: .utf8)
        let configuration = try AidConfiguration.load(userFile: root + "/user.toml", workspaceRoot: root)
        #expect(configuration.logLevel == "debug")
        #expect(configuration.drainTimeoutMs == 700)
        #expect(configuration.maximumFrameBytes == 64 << 20)
        #expect(configuration.sources.count == 2)
    }
}
