import AidProtocol
import Foundation
@testable import JSONRPC
import Testing

/// The wire encoder writes bytes directly; whatever it writes must be the JSON the tree encoder
/// gives, and what it cannot write it must hand back (nil) rather than write wrongly.
struct ByteEncoderTests {
    struct Inner: Codable, Equatable { var name: String; var tags: [String]; var score: Double? }
    struct Outer: Codable, Equatable {
        var id: Int
        var flag: Bool
        var ratio: Double
        var whole: Double
        var text: String
        var nothing: String?
        var inners: [Inner]
        var byName: [String: Inner]
        var raw: JSONValue
        var small: Int8
        var large: UInt32
        var nested: [[Int]]
    }
    struct Empty: Codable, Equatable {}
    enum Shape: Codable, Equatable { case circle(radius: Double), square(side: Int) }
    struct WithDate: Codable { var at: Date }
    struct Huge: Codable { var value: UInt64 }
    struct Point: Codable { var x: Float }

    let sample = Outer(
        id: 7, flag: true, ratio: 0.25, whole: 3.0, text: "quote \" slash \\ newline \n é", nothing: nil,
        inners: [Inner(name: "a", tags: [], score: nil), Inner(name: "b", tags: ["x", "y"], score: -1.5)],
        byName: ["k1": Inner(name: "c", tags: ["z"], score: 2)], raw: ["n": [1, nil, "s"]], small: -8, large: 4_000_000_000,
        nested: [[1, 2], [], [3]])

    @Test func givesTheTreeEncodersJSON() throws {
        let direct = try #require(try ByteEncoder.encode(sample))
        #expect(try JSONParser.parse(direct) == (try ValueEncoder.encode(sample)))
        #expect(try JSONCoding.decode(Outer.self, from: direct) == sample)
        #expect(try ByteEncoder.encode(Empty()) == Array("{}".utf8))
        #expect(try ByteEncoder.encode([Empty(), Empty()]) == Array("[{},{}]".utf8))
        #expect(try ByteEncoder.encode(Optional<Int>.none) == Array("null".utf8))
        #expect(try ByteEncoder.encode("plain") == Array(#""plain""#.utf8))
    }

    @Test func handsBackWhatOnlyTheFallbacksEncode() throws {
        // Enums with payloads ask for nested containers; dates, floats and integers beyond Int
        // need Foundation's own formatting.
        #expect(try ByteEncoder.encode(Shape.circle(radius: 1)) == nil)
        #expect(try ByteEncoder.encode(WithDate(at: Date(timeIntervalSince1970: 0))) == nil)
        #expect(try ByteEncoder.encode(Huge(value: .max)) == nil)
        #expect(try ByteEncoder.encode(Point(x: 1.5)) == nil)
        // ... and the wire encoder still gives the right JSON for them.
        #expect(try JSONCoding.decode(Shape.self, from: JSONCoding.encode(Shape.square(side: 2))) == .square(side: 2))
        #expect(String(decoding: try JSONCoding.encode(Huge(value: .max)), as: UTF8.self) == #"{"value":18446744073709551615}"#)
    }

    @Test func theDaemonsAnswersEncodeDirectly() throws {
        let status = DaemonStatus(
            version: "1", protocolVersion: "1", pid: 42, generation: 3, startedAt: "2026-11-22T09:00:00Z", uptimeSeconds: 1.5,
            executable: .init(path: "/bin/aid", inode: 9, modified: 1.25), socketPath: "/run/aid.sock",
            stateDirectory: "/state", logFile: "/state/aid.log", connections: 2, inFlightRequests: 0, requestsServed: 10,
            workspaces: [.init(root: "/w", clients: ["aid.el"])], configErrors: [], indexes: [])
        let direct = try #require(try ByteEncoder.encode(status), "daemon/status must not fall back")
        #expect(try JSONCoding.decode(DaemonStatus.self, from: direct) == status)
    }
}
