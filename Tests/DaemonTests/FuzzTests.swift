import AidProtocol
import AidTestSupport
import Foundation
import JSONRPC
import Synchronization
import Testing

/// A deterministic random source, so that a failing run can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What the generator produced: the bytes to send and the ids of the well-formed requests in it.
struct FuzzStream {
    var bytes: [UInt8] = []
    var expectedIDs: Set<Int> = []
    var frames = 0

    static func generate(seed: UInt64, frames count: Int) -> FuzzStream {
        var rng = SplitMix64(state: seed)
        var stream = FuzzStream()
        var nextID = 1
        func frame(_ body: [UInt8]) -> [UInt8] { OutgoingMessage.frame(body) }
        func valid() -> String {
            defer { nextID += 1 }
            stream.expectedIDs.insert(nextID)
            return #"{"jsonrpc":"2.0","id":\#(nextID),"method":"daemon/status"\#(Bool.random(using: &rng) ? #","params":null"# : "")}"#
        }
        let junkJSON = [
            "1", "\"text\"", "null", "{}", "[1,2]", #"{"jsonrpc":"1.0","id":1,"method":"daemon/status"}"#,
            #"{"jsonrpc":"2.0","id":{"a":1},"method":"daemon/status"}"#, #"{"jsonrpc":"2.0","id":3,"method":7}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"daemon/status","params":"x"}"#,
            #"{"jsonrpc":"2.0","id":5,"method":"daemon/restart","params":{"drainTimeoutMs":"soon"}}"#,
            #"{"jsonrpc":"2.0","id":6,"method":"no/such/method"}"#, #"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":99999}}"#,
            #"{"jsonrpc":"2.0","method":"some/notification","params":[1]}"#, #"{"jsonrpc":"2.0","result":1,"id":77}"#,
            #"{"jsonrpc":"2.0","id":8,"method":"initialize","params":{"clientName":["not","a","string"]}}"#,
        ]
        let badHeaders = ["Content-Length: -5\r\n\r\n", "Foo\r\n\r\n", "Content-Length: 99999999999999999999\r\n\r\n",
                          "Content-Length: 12\r\nContent-Type: text/plain; charset=latin1\r\n\r\n", "\r\n\r\n"]
        for _ in 0..<count {
            stream.frames += 1
            switch Int.random(in: 0..<10, using: &rng) {
            case 0, 1, 2:
                stream.bytes += frame(Array(valid().utf8))
            case 3:
                let length = Int.random(in: 1...200, using: &rng)
                stream.bytes += frame((0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) })
            case 4:
                let text = Array(valid().utf8)
                stream.expectedIDs.remove(nextID - 1)
                stream.bytes += frame(Array(text[0..<Int.random(in: 1..<text.count, using: &rng)]))
            case 5, 6:
                stream.bytes += frame(Array(junkJSON.randomElement(using: &rng)!.utf8))
            case 7:
                stream.bytes += Array(badHeaders.randomElement(using: &rng)!.utf8)
            case 8:
                var members: [String] = []
                for _ in 0..<Int.random(in: 1...5, using: &rng) {
                    members.append(Bool.random(using: &rng) ? valid() : junkJSON.randomElement(using: &rng)!)
                }
                stream.bytes += frame(Array(("[" + members.joined(separator: ",") + "]").utf8))
            default:
                // Valid JSON with random structure and a valid request inside a random shape.
                let depth = Int.random(in: 1...30, using: &rng)
                stream.bytes += frame(Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8))
            }
        }
        return stream
    }
}

@Suite(.serialized)
struct FuzzTests {
    @Test func tenThousandMalformedOrRandomFramesLeaveTheDaemonServing() async throws {
        let daemon = try TestDaemon()
        defer { daemon.cleanUp() }
        try daemon.start()
        let stream = FuzzStream.generate(seed: 0xA1D, frames: 10_000)
        #expect(stream.frames == 10_000)
        let raw = try RawConnection(path: daemon.paths.socket)
        // Read everything on one thread while another writes in uneven chunks.
        let answered = Mutex<Set<Int>>([])
        let reader = Task.detached {
            var remaining = stream.expectedIDs.count
            while remaining > 0, let frame = try raw.readFrame(timeout: .seconds(30)) {
                for message in frame.arrayValue ?? [frame] {
                    if let id = message["id"]?.intValue, message["result"]?["pid"] != nil, stream.expectedIDs.contains(id) {
                        let inserted = answered.withLock { $0.insert(id).inserted }
                        #expect(inserted, "request \(id) answered twice")
                        if inserted { remaining -= 1 }
                    }
                }
            }
        }
        // Meanwhile a second client works normally.
        let other = try daemon.connect(clientName: "bystander")
        let bystander = Task.detached {
            for _ in 0..<200 { _ = try other.call(DaemonStatusRequest(), timeout: .seconds(10)) }
        }
        try await offload {
            var rng = SplitMix64(state: 7)
            var offset = 0
            while offset < stream.bytes.count {
                let size = min(stream.bytes.count - offset, Int.random(in: 1...4096, using: &rng))
                try raw.send(Array(stream.bytes[offset..<(offset + size)]))
                offset += size
            }
        }
        try await reader.value
        try await bystander.value
        #expect(answered.withLock { $0.count } == stream.expectedIDs.count)
        #expect(stream.expectedIDs.count > 2500)
        // The daemon is still the same process, serving.
        let status = try await other.call(DaemonStatusRequest())
        #expect(status.pid == Int(daemon.pid))
        #expect(other.unmatchedResponses == 0)
        other.close()
    }
}
