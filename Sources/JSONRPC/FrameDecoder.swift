import NIOCore

/// What the byte stream of a connection yields, frame by frame.
public enum FrameEvent: Sendable {
    /// A complete message body.
    case message(ByteBuffer)
    /// An invalid header block, skipped; the stream goes on after it.
    case malformedHeader(reason: String)
    /// A frame larger than the maximum; the connection must be closed after answering.
    case tooLarge(contentLength: Int, maximum: Int)
    /// The stream cannot be read any further; answer and close.
    case unrecoverable(reason: String)
}

/// Splits a connection's bytes into LSP-framed messages (`Content-Length: N\r\n\r\n` + body),
/// whatever way the bytes arrive: one at a time, split inside a header, several frames in one read.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = FrameEvent

    public let maximumFrameBytes: Int
    private var failed = false

    public init(maximumFrameBytes: Int) { self.maximumFrameBytes = maximumFrameBytes }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if failed {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            return .needMoreData
        }
        let result = buffer.withUnsafeReadableBytes { FrameHeader.parse($0, maximumFrameBytes: maximumFrameBytes) }
        switch result {
        case .needMoreData:
            return .needMoreData
        case .header(let headerLength, let contentLength):
            guard buffer.readableBytes >= headerLength + contentLength else { return .needMoreData }
            buffer.moveReaderIndex(forwardBy: headerLength)
            let body = buffer.readSlice(length: contentLength)!
            context.fireChannelRead(wrapInboundOut(.message(body)))
            return .continue
        case .malformed(let headerLength, let reason):
            buffer.moveReaderIndex(forwardBy: headerLength)
            context.fireChannelRead(wrapInboundOut(.malformedHeader(reason: reason)))
            return .continue
        case .tooLarge(_, let contentLength):
            failed = true
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            context.fireChannelRead(wrapInboundOut(.tooLarge(contentLength: contentLength, maximum: maximumFrameBytes)))
            return .needMoreData
        case .unterminated(let reason):
            failed = true
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            context.fireChannelRead(wrapInboundOut(.unrecoverable(reason: reason)))
            return .needMoreData
        }
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
