import JSONRPC
import NIOCore
import NIOEmbedded
import Testing

/// The framing parser, fed the way a socket delivers bytes.
struct FrameDecoderTests {
    private func frame(_ body: String) -> [UInt8] { Array("Content-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8) }

    /// Feeds `chunks` to a decoder and returns what it produced, bodies as strings.
    private func decode(_ chunks: [[UInt8]], maximum: Int = 1 << 20) throws -> [String] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maximumFrameBytes: maximum)))
        var events: [String] = []
        for chunk in chunks {
            var buffer = channel.allocator.buffer(capacity: chunk.count)
            buffer.writeBytes(chunk)
            try channel.writeInbound(buffer)
            while let event = try channel.readInbound(as: FrameEvent.self) {
                switch event {
                case .message(let body): events.append(String(buffer: body))
                case .malformedHeader(let reason): events.append("malformed: \(reason)")
                case .tooLarge(let length, let maximum): events.append("too large: \(length) > \(maximum)")
                case .unrecoverable(let reason): events.append("unrecoverable: \(reason)")
                }
            }
        }
        _ = try? channel.finish()
        return events
    }

    @Test func oneByteAtATime() throws {
        let bytes = frame(#"{"a":1}"#) + frame(#"{"b":"é"}"#)
        #expect(try decode(bytes.map { [$0] }) == [#"{"a":1}"#, #"{"b":"é"}"#])
    }

    @Test func splitInsideTheHeaderAndTheBody() throws {
        let bytes = frame(#"{"jsonrpc":"2.0"}"#)
        for cut in 1..<bytes.count {
            #expect(try decode([Array(bytes[..<cut]), Array(bytes[cut...])]) == [#"{"jsonrpc":"2.0"}"#], "cut at \(cut)")
        }
    }

    @Test func severalMessagesInOneRead() throws {
        let bodies = (0..<50).map { #"{"n":\#($0)}"# }
        #expect(try decode([bodies.flatMap(frame)]) == bodies)
    }

    @Test func contentTypeAndUnknownHeadersAreAccepted() throws {
        let text = "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Trace: 1\r\ncontent-length: 2\r\n\r\n{}"
        #expect(try decode([Array(text.utf8)]) == ["{}"])
    }

    @Test func utf16CharsetIsRefusedClearly() throws {
        let text = "Content-Length: 2\r\nContent-Type: application/json; charset=utf-16\r\n\r\n"
        let events = try decode([Array(text.utf8)])
        #expect(events.count == 1)
        #expect(events[0].contains("charset 'utf-16' is not supported"))
    }

    @Test func malformedHeaderIsSkippedAndTheStreamGoesOn() throws {
        let bad = Array("Content-Length: abc\r\n\r\n".utf8) + Array("Garbage without colon\r\n\r\n".utf8) + Array("X: 1\r\n\r\n".utf8)
        let events = try decode([bad + frame("{}")])
        #expect(events.count == 4)
        #expect(events[0].contains("Content-Length 'abc' is not a non-negative decimal number"))
        #expect(events[1].contains("is not 'Name: value'"))
        #expect(events[2].contains("no Content-Length"))
        #expect(events[3] == "{}")
    }

    @Test func tooLargeFrameIsReportedBeforeItsBodyArrives() throws {
        let header = Array("Content-Length: 5000\r\n\r\n".utf8)
        let events = try decode([header], maximum: 1024)
        #expect(events == ["too large: 5000 > 1024"])
    }

    @Test func headerWithoutEndIsUnrecoverable() throws {
        let events = try decode([[UInt8](repeating: UInt8(ascii: "a"), count: FrameHeader.maximumHeaderBytes + 10)])
        #expect(events.count == 1)
        #expect(events[0].hasPrefix("unrecoverable"))
    }
}
