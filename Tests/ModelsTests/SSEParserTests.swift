import Models
import Testing

@Suite struct SSEParserTests {
    private func parse(_ text: String) throws -> [SSEEvent] {
        var parser = SSEParser()
        return try parser.feed(Array(text.utf8))
    }

    @Test func singleEvent() throws {
        #expect(try parse("data: hello\n\n") == [SSEEvent(data: "hello")])
    }

    @Test func multiLineDataIsJoinedWithNewlines() throws {
        #expect(try parse("data: first\ndata: second\ndata:\ndata: fourth\n\n") == [SSEEvent(data: "first\nsecond\n\nfourth")])
    }

    @Test func commentsAreIgnored() throws {
        let events = try parse(": keep-alive\n\n: another comment\ndata: x\n: inside\n\n")
        #expect(events == [SSEEvent(data: "x")])
    }

    @Test func crlfAndCrLineEndings() throws {
        #expect(try parse("data: a\r\n\r\ndata: b\r\rdata: c\n\n") == [SSEEvent(data: "a"), SSEEvent(data: "b"), SSEEvent(data: "c")])
    }

    @Test func eventNamesIdsAndRetry() throws {
        let events = try parse("event: message_start\nid: 7\nretry: 1500\ndata: {}\n\ndata: plain\n\n")
        #expect(events == [
            SSEEvent(event: "message_start", data: "{}", id: "7", retry: 1500),
            SSEEvent(event: "message", data: "plain", id: "7", retry: 1500),
        ])
    }

    @Test func onlyOneLeadingSpaceIsDropped() throws {
        #expect(try parse("data:no-space\n\ndata:  two-spaces\n\n") == [SSEEvent(data: "no-space"), SSEEvent(data: " two-spaces")])
    }

    @Test func fieldWithoutColonAndUnknownFields() throws {
        // "data" alone is a data line with an empty value; unknown fields are ignored.
        #expect(try parse("data\nfoo: bar\ndata: x\n\n") == [SSEEvent(data: "\nx")])
    }

    @Test func eventWithoutDataIsNotDispatched() throws {
        #expect(try parse("event: ping\n\ndata: after\n\n") == [SSEEvent(data: "after")])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        #expect(try parse("\u{FEFF}data: x\n\n") == [SSEEvent(data: "x")])
    }

    @Test func splitAtEveryPositionGivesTheSameEvents() throws {
        let stream = "\u{FEFF}event: a\r\ndata: héllo 🌍\r\n\r\n: comment\rdata: one\ndata: two\r\r\ndata: [DONE]\n\n"
        let bytes = Array(stream.utf8)
        let expected = try parse(stream)
        #expect(expected.count == 3)
        for split in 0...bytes.count {
            var parser = SSEParser()
            var events = try parser.feed(bytes[..<split])
            events += try parser.feed(bytes[split...])
            #expect(events == expected, "split at \(split)")
        }
        var parser = SSEParser()
        var byByte: [SSEEvent] = []
        for byte in bytes { byByte += try parser.feed([byte]) }
        #expect(byByte == expected)
    }

    @Test func crlfSplitAcrossReadsIsOneLineEnd() throws {
        var parser = SSEParser()
        var events = try parser.feed(Array("data: a\r".utf8))
        events += try parser.feed(Array("\ndata: b\r".utf8))
        events += try parser.feed(Array("\n\r\n".utf8))
        #expect(events == [SSEEvent(data: "a\nb")])
    }

    @Test func partialEventIsReported() throws {
        var parser = SSEParser()
        _ = try parser.feed(Array("data: {\"choi".utf8))
        #expect(parser.hasPartialEvent)
        _ = try parser.feed(Array("ces\"}\n\n".utf8))
        #expect(!parser.hasPartialEvent)
    }

    @Test func oversizedEventIsRefused() throws {
        var parser = SSEParser(maxEventBytes: 1000)
        #expect(throws: SSEParserError.eventTooLarge(limit: 1000)) {
            _ = try parser.feed(Array(("data: " + String(repeating: "x", count: 2000)).utf8))
        }
    }
}
