/// The regions of unsaved editor buffers that differ from the disk (the
/// whole buffer for a file not yet on disk), with a little context.
public struct UnsavedBuffersProvider: ContextProvider {
    public let name = "unsaved"
    let root: String
    /// Unchanged lines shown around a changed region.
    public var contextLines = 3
    /// Longest region offered, in lines.
    public var maximumLines = 200

    public init(root: String) {
        self.root = root
    }

    public func items(for request: ContextRequest) async throws -> [ContextItem] {
        let reader = SourceReader(root: root, unsavedBuffers: request.unsavedBuffers)
        var items: [ContextItem] = []
        for path in reader.overriddenPaths {
            guard let buffer = reader.text(of: path) else { continue }
            let disk = reader.diskText(of: path)
            guard buffer != disk else { continue }
            let range: LineRange
            let reason: String
            if let disk {
                guard let changed = Self.changedLines(old: disk, new: buffer) else { continue }
                range = LineRange(start: changed.start - contextLines, end: min(changed.end + contextLines,
                                                                                 changed.start + maximumLines))
                reason = "Unsaved changes in the editor (lines \(changed.start)-\(changed.end)); newer than the file on disk."
            } else {
                range = LineRange(start: 1, end: maximumLines)
                reason = "A new file open in the editor, not yet saved."
            }
            guard let slice = SourceReader.slice(buffer, range) else { continue }
            items.append(ContextItem(provider: name, kind: .unsavedBuffer, path: path, lines: slice.range, text: slice.text,
                                     reason: reason, priority: ContextPriority.unsavedBuffer, stability: .volatile))
        }
        return items
    }

    /// The lines of `new` (1-based) between the common prefix and suffix with `old`.
    static func changedLines(old: String, new: String) -> LineRange? {
        let oldLines = old.split(separator: "\n", omittingEmptySubsequences: false)
        let newLines = new.split(separator: "\n", omittingEmptySubsequences: false)
        var prefix = 0
        while prefix < oldLines.count, prefix < newLines.count, oldLines[prefix] == newLines[prefix] { prefix += 1 }
        if prefix == oldLines.count && prefix == newLines.count { return nil }
        var suffix = 0
        while suffix < oldLines.count - prefix, suffix < newLines.count - prefix,
              oldLines[oldLines.count - 1 - suffix] == newLines[newLines.count - 1 - suffix] { suffix += 1 }
        let start = prefix + 1
        let end = max(start, newLines.count - suffix)
        return LineRange(start: start, end: end)
    }
}
