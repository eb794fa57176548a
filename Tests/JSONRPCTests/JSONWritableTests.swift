import AidProtocol
import Foundation
import Logging
@testable import JSONRPC
import Testing

/// Types that write their own JSON must write what Codable writes: every key, and values that
/// decode back to the same thing.
struct JSONWritableTests {
    static let full = DaemonStatus(
        version: "1.2.3", protocolVersion: "0.4", pid: 4321, generation: 3, startedAt: "2026-11-22T10:00:00Z",
        uptimeSeconds: 12.375, executable: .init(path: "/opt/aid \"beta\"/aid", inode: UInt64.max - 7, modified: 1_790_000_000.5),
        socketPath: "/run/user/1000/aid/aid.sock", stateDirectory: "/home/u/.local/state/aid", logFile: "/home/u/.local/state/aid/aid.log",
        connections: 2, inFlightRequests: 1, requestsServed: 1_000_000,
        workspaces: [.init(root: "/src/a\\b", clients: ["emacs", "nvim"]), .init(root: "/src/ü\n", clients: [])],
        configErrors: ["config.toml: line 3: key 'x' is unknown", "tab\there"],
        indexes: [.init(root: "/src/a", state: "ready", files: 10, lines: 2000, buildSeconds: 0.25, updates: 4, lastUpdateMilliseconds: 3.5),
                  .init(root: "/src/b", state: "indexing", files: 0, lines: 0)])

    static let bare = DaemonStatus(
        version: "0", protocolVersion: "0", pid: 1, generation: 0, startedAt: "", uptimeSeconds: 0,
        executable: .init(path: "", inode: 0, modified: 0), socketPath: "", stateDirectory: "", logFile: "",
        connections: 0, inFlightRequests: 0, requestsServed: 0, workspaces: [], configErrors: [], indexes: nil)

    /// The object keys at every level, as dotted paths.
    static func keyPaths(_ value: JSONValue, prefix: String = "") -> Set<String> {
        switch value {
        case .object(let members):
            return members.reduce(into: Set<String>()) { paths, member in
                let path = prefix.isEmpty ? member.key : prefix + "." + member.key
                paths.insert(path)
                paths.formUnion(keyPaths(member.value, prefix: path))
            }
        case .array(let elements):
            return elements.reduce(into: Set<String>()) { $0.formUnion(keyPaths($1, prefix: prefix + "[]")) }
        default:
            return []
        }
    }

    @Test(arguments: [full, bare])
    func daemonStatusWritesWhatCodableWrites(status: DaemonStatus) throws {
        var written: [UInt8] = []
        status.writeJSON(into: &written)
        #expect(try JSONCoding.decode(DaemonStatus.self, from: written) == status)
        let codable = try JSONParser.parse(Array(JSONEncoder().encode(status)))
        #expect(Self.keyPaths(try JSONParser.parse(written)) == Self.keyPaths(codable))
    }

    @Test func theTableAnswersWithTheWrittenJSON() throws {
        var table = MethodTable()
        table.registerImmediate(DaemonStatusRequest.self) { _, _ in Self.full }
        guard case .immediate(let answer) = try #require(table.handler(for: DaemonStatusRequest.method)) else {
            Issue.record("daemon/status should answer inside the read")
            return
        }
        var expected: [UInt8] = []
        Self.full.writeJSON(into: &expected)
        let context = RequestContext(id: 1, method: DaemonStatusRequest.method, connection: RPCConnection(id: 1, peerPID: 0, peerUID: 0) { _ in },
                                     logger: Logger(label: "test"), workDoneToken: nil)
        #expect(try answer(nil, context) == expected)
    }

    @Test func numbersAreWrittenExactly() throws {
        var out: [UInt8] = []
        for value in [0, 7, -7, 10, -10, 1_234_567_890, Int.max, Int.min] {
            out.removeAll()
            JSONWriter.writeInteger(value, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(value))
        }
        for (value, text) in [(3.0, "3"), (-0.5, "-0.5"), (0.1, "0.1"), (1e300, "1e+300"), (.infinity, "null"), (.nan, "null")] {
            out.removeAll()
            JSONWriter.writeNumber(value, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == text)
        }
    }
}
