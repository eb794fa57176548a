/// One event of a server-sent event stream (the `text/event-stream` format).
public struct SSEEvent: Sendable, Hashable {
    /// The event type (`event:` field); `message` when the stream named none.
    public var event: String
    /// The data lines of the event joined by newlines.
    public var data: String
    /// The last event id seen so far (`id:` field), if any.
    public var id: String?
    /// The reconnection time the server asked for, in milliseconds (`retry:` field).
    public var retry: Int?

    public init(event: String = "message", data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}

/// Why an event stream could not be parsed.
public enum SSEParserError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One event grew past the limit given to the parser.
    case eventTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .eventTooLarge(let limit):
            return "an event of the stream is larger than \(limit) bytes; the server is not sending a well-formed event stream"
        }
    }
}

/// An incremental parser of server-sent events, following the WHATWG event-stream rules:
/// lines end with CRLF, LF or CR; `data:` lines accumulate (joined by newlines); lines starting
/// with `:` are comments; one space after the colon is dropped; a blank line dispatches the event;
/// an event with no data is not dispatched; a byte-order mark at the very start is skipped.
///
/// Feed it bytes as they arrive, split anywhere (even inside a CRLF or a UTF-8 sequence).
public struct SSEParser: Sendable {
    private let maxEventBytes: Int
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var atStreamStart = true
    private var startBytes: [UInt8] = []
    private var eventType: String?
    private var data: [UInt8] = []
    private var hasData = false
    private var lastEventID: String?
    private var retry: Int?
    private var pendingBytes = 0

    /// A parser that refuses events larger than `maxEventBytes` bytes.
    public init(maxEventBytes: Int = 4 << 20) {
        self.maxEventBytes = maxEventBytes
    }

    /// Whether some of an event has been received but not yet dispatched (a stream that ends
    /// here was cut in the middle of an event).
    public var hasPartialEvent: Bool {
        !line.isEmpty || hasData || eventType != nil || !startBytes.isEmpty
    }

    /// Parses more bytes of the stream and returns the events they complete.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) throws -> [SSEEvent] where Bytes.Element == UInt8 {
        var events: [SSEEvent] = []
        for byte in bytes {
            if atStreamStart {
                // Skip a UTF-8 byte-order mark (EF BB BF) at the start of the stream.
                let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
                if byte == bom[startBytes.count] {
                    startBytes.append(byte)
                    if startBytes.count == bom.count {
                        startBytes.removeAll()
                        atStreamStart = false
                    }
                    continue
                }
                atStreamStart = false
                let held = startBytes
                startBytes.removeAll()
                for heldByte in held { try consume(heldByte, into: &events) }
            }
            try consume(byte, into: &events)
        }
        return events
    }

    private mutating func consume(_ byte: UInt8, into events: inout [SSEEvent]) throws {
        switch byte {
        case UInt8(ascii: "\n"):
            if lastWasCR {
                lastWasCR = false
                return
            }
            try endLine(into: &events)
        case UInt8(ascii: "\r"):
            lastWasCR = true
            try endLine(into: &events)
        default:
            lastWasCR = false
            line.append(byte)
            pendingBytes += 1
            if pendingBytes > maxEventBytes { throw SSEParserError.eventTooLarge(limit: maxEventBytes) }
        }
    }

    private mutating func endLine(into events: inout [SSEEvent]) throws {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            if let event = dispatch() { events.append(event) }
            return
        }
        if line.first == UInt8(ascii: ":") { return }  // a comment
        let field: [UInt8]
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = Array(line[..<colon])
            value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            field = line
            value = []
        }
        switch String(decoding: field, as: UTF8.self) {
        case "data":
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        default:
            break  // unknown fields are ignored
        }
    }

    private mutating func dispatch() -> SSEEvent? {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = nil
            pendingBytes = 0
        }
        guard hasData else { return nil }
        let type = eventType.flatMap { $0.isEmpty ? nil : $0 } ?? "message"
        return SSEEvent(event: type, data: String(decoding: data, as: UTF8.self), id: lastEventID, retry: retry)
    }
}
