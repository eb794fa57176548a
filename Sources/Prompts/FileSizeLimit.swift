/// The largest file a strategy takes; larger ones need another strategy.
public struct FileSizeLimit: Sendable, Hashable {
    /// Most lines a file may have.
    public var lines: Int
    /// Most UTF-8 bytes a file may have.
    public var bytes: Int

    /// Creates a limit.
    public init(lines: Int, bytes: Int) {
        self.lines = lines
        self.bytes = bytes
    }

    /// True when `text` is within the limit.
    public func admits(_ text: String) -> Bool {
        text.utf8.count <= bytes && LineSplitter.lineCount(text) <= lines
    }
}
