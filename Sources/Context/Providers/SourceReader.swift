import Foundation

/// Reads workspace files as the editor sees them: an unsaved buffer's text
/// replaces the file on disk.
public struct SourceReader: Sendable {
    /// The workspace root.
    public let root: String
    private let overrides: [String: String]

    /// `unsavedBuffers` may be keyed by absolute or root-relative paths.
    public init(root: String, unsavedBuffers: [String: String] = [:]) {
        self.root = root
        var overrides: [String: String] = [:]
        for (path, text) in unsavedBuffers {
            if let relative = Self.relative(path, root: root) { overrides[relative] = text }
        }
        self.overrides = overrides
    }

    /// `path` relative to the root, or nil when it lies outside.
    public func relative(_ path: String) -> String? { Self.relative(path, root: root) }

    static func relative(_ path: String, root: String) -> String? {
        let standardized = (path as NSString).standardizingPath
        if !path.hasPrefix("/") { return standardized.hasPrefix("../") ? nil : standardized }
        guard standardized.hasPrefix(root + "/") else { return nil }
        return String(standardized.dropFirst(root.count + 1))
    }

    /// Paths (relative) that have unsaved buffers, sorted.
    public var overriddenPaths: [String] { overrides.keys.sorted() }

    /// Whether the editor holds unsaved text for `path`.
    public func isOverridden(_ path: String) -> Bool {
        relative(path).map { overrides[$0] != nil } ?? false
    }

    /// The file's text (the unsaved buffer when there is one), or nil when unreadable.
    public func text(of path: String) -> String? {
        guard let relative = relative(path) else { return nil }
        if let text = overrides[relative] { return text }
        return diskText(of: relative)
    }

    /// The text on disk, ignoring unsaved buffers.
    public func diskText(of path: String) -> String? {
        guard let relative = relative(path),
              let data = FileManager.default.contents(atPath: root + "/" + relative) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The lines of `path` within `range` (clamped to the file), joined with
    /// newlines, and the range actually read; nil when unreadable or empty.
    public func lines(of path: String, in range: LineRange) -> (text: String, range: LineRange)? {
        guard let text = text(of: path) else { return nil }
        return Self.slice(text, range)
    }

    /// Lines `range` of `text` (clamped), with the clamped range. Works on
    /// the UTF-8 bytes: files can be large and only a few lines are wanted.
    static func slice(_ text: String, _ range: LineRange) -> (text: String, range: LineRange)? {
        var text = text
        return text.withUTF8 { bytes -> (text: String, range: LineRange)? in
            let lines = LineTable(bytes)
            guard lines.count > 0 else { return nil }
            let start = min(max(1, range.start), lines.count)
            let end = min(max(start, range.end), lines.count)
            var byteRange = lines.byteRange(lines: start...end)
            if byteRange.upperBound > byteRange.lowerBound, bytes[byteRange.upperBound - 1] == 0x0A {
                byteRange = byteRange.lowerBound..<(byteRange.upperBound - 1)
            }
            let slice = String(decoding: UnsafeBufferPointer(rebasing: bytes[byteRange]), as: UTF8.self)
            return (slice, LineRange(start: start, end: end))
        }
    }

    /// Number of lines of `text`.
    static func lineCount(_ text: String) -> Int {
        var count = 0
        for byte in text.utf8 where byte == 0x0A { count += 1 }
        return text.isEmpty || text.hasSuffix("\n") ? count : count + 1
    }
}
