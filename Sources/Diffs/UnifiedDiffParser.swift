/// Reads `git diff` and plain `diff -u` output into `FilePatch` values.
///
/// Besides well-formed diffs it accepts what language models tend to produce:
/// prose or code fences before, between and after the diff, CRLF line endings,
/// hunks whose `@@` counts are wrong (the body is recounted when its end is clear),
/// blank context lines that lost their leading space, and file headers without a
/// `diff --git` line.
///
/// ```swift
/// let patches = try UnifiedDiffParser().parse(diffText)
/// ```
public struct UnifiedDiffParser: Sendable {
    /// What to do with a file whose diff says it is binary.
    public enum BinaryPatchHandling: Sendable, Hashable {
        /// Throw `DiffParseError` with reason `.binaryPatch`, naming the file.
        case reject
        /// Return a `FilePatch` with `isBinary == true` and no hunks; `PatchApplier`
        /// and `WorkspacePatcher` refuse to apply it.
        case keep
    }

    /// What to do with binary file diffs.
    public var binaryPatchHandling: BinaryPatchHandling

    /// Creates a parser.
    public init(binaryPatchHandling: BinaryPatchHandling = .reject) {
        self.binaryPatchHandling = binaryPatchHandling
    }

    /// Parses every file patch in `text`, in order.
    ///
    /// - Throws: `DiffParseError` when no diff is found, a hunk is malformed or
    ///   ambiguous, or (with `.reject`) a binary file is changed.
    public func parse(_ text: String) throws(DiffParseError) -> [FilePatch] {
        let bytes = Array(text.utf8)
        var lines = TextLines(bytes: bytes, separatingCarriageReturns: false)
        if DiffScanner.isCarriageReturnConverted(lines) {
            lines = TextLines(bytes: bytes, separatingCarriageReturns: true)
        }
        var scanner = DiffScanner(lines: lines, binaryPatchHandling: binaryPatchHandling)
        return try scanner.scanAll()
    }
}

/// The parser's cursor over the diff's lines; one instance per `parse` call.
struct DiffScanner {
    let lines: TextLines
    let binaryPatchHandling: UnifiedDiffParser.BinaryPatchHandling
    var index = 0
    var patches: [FilePatch] = []
    /// True while stray `@@` hunks belong to the last patch (it is a text patch).
    var lastPatchAcceptsHunks = false

    init(lines: TextLines, binaryPatchHandling: UnifiedDiffParser.BinaryPatchHandling) {
        self.lines = lines
        self.binaryPatchHandling = binaryPatchHandling
    }

    /// True when the diff text itself went through a CRLF conversion: most of its
    /// structural lines (which git always ends with a bare LF) end in `"\r"`.
    static func isCarriageReturnConverted(_ lines: TextLines) -> Bool {
        var withCarriageReturn = 0
        var structural = 0
        for index in 0..<lines.count
        where lines.hasPrefix(index, Prefix.hunk) || lines.hasPrefix(index, Prefix.diffGit)
            || lines.hasPrefix(index, Prefix.oldFile) || lines.hasPrefix(index, Prefix.newFile)
        {
            structural += 1
            if lines.content(index).last == 0x0D { withCarriageReturn += 1 }
        }
        return structural > 0 && withCarriageReturn * 2 > structural
    }

    mutating func scanAll() throws(DiffParseError) -> [FilePatch] {
        while index < lines.count {
            if lines.hasPrefix(index, Prefix.diffGit) {
                try scanGitFile()
            } else if lines.hasPrefix(index, Prefix.diffCombined) || lines.hasPrefix(index, Prefix.diffCC) {
                throw DiffParseError(.combinedDiff, line: index + 1)
            } else if isFileHeaderPair(at: index) {
                try scanPlainFile()
            } else if let path = plainBinaryFilesPath(at: index) {
                try recordBinary(path: path, line: index)
                index += 1
            } else if lines.hasPrefix(index, Prefix.hunk) {
                try scanStrayHunk()
            } else {
                index += 1
            }
        }
        guard !patches.isEmpty else { throw DiffParseError(.noDiffFound, line: 1) }
        return patches
    }

    /// A `@@` line outside a file header: it continues the previous file's hunks
    /// (prose between hunks), or is an error when no file was named yet.
    private mutating func scanStrayHunk() throws(DiffParseError) {
        if lines.hasPrefix(index, Prefix.combinedHunk) {
            guard lastPatchAcceptsHunks else { index += 1; return }
            throw DiffParseError(.combinedDiff, line: index + 1, path: patches.last?.displayPath)
        }
        guard lastPatchAcceptsHunks, !patches.isEmpty else {
            if lines.hasPrefix(index, Prefix.hunkWithOldRange) {
                throw DiffParseError(.hunkWithoutFile, line: index + 1)
            }
            index += 1
            return
        }
        let hunk = try scanHunk(path: patches[patches.count - 1].displayPath)
        patches[patches.count - 1].hunks.append(hunk)
    }

    /// A file introduced by `--- old` / `+++ new` without a `diff --git` line.
    private mutating func scanPlainFile() throws(DiffParseError) {
        let oldName = try headerPath(at: index, prefixLength: 4)
        let newName = try headerPath(at: index + 1, prefixLength: 4)
        index += 2
        let oldPath = oldName.map { Self.strippingPrefix($0, "a/") }
        let newPath = newName.map { Self.strippingPrefix($0, "b/") }
        let patch: FilePatch
        switch (oldPath, newPath) {
        case (nil, nil):
            throw DiffParseError(.unreadableFileNames("/dev/null → /dev/null"), line: index - 1)
        case (nil, let new?):
            patch = FilePatch(oldPath: nil, newPath: new, kind: .create)
        case (let old?, nil):
            patch = FilePatch(oldPath: old, newPath: nil, kind: .delete)
        case (_, let new?):
            // Without git headers differing names (`x.orig` vs `x`) mean an in-place
            // change of the new name, as `diff -u old new` is usually meant.
            patch = FilePatch(oldPath: new, newPath: new, kind: .modify)
        }
        patches.append(patch)
        lastPatchAcceptsHunks = true
    }

    /// Records (or rejects) a binary file patch.
    mutating func recordBinary(path: String, line: Int, template: FilePatch? = nil) throws(DiffParseError) {
        if binaryPatchHandling == .reject {
            throw DiffParseError(.binaryPatch, line: line + 1, path: path)
        }
        var patch = template ?? FilePatch(oldPath: path, newPath: path, kind: .modify)
        patch.isBinary = true
        patch.hunks = []
        patches.append(patch)
        lastPatchAcceptsHunks = false
    }

    /// True when line `index` starts `--- ` and the next starts `+++ `.
    func isFileHeaderPair(at index: Int) -> Bool {
        index + 1 < lines.count && lines.hasPrefix(index, Prefix.oldFile) && lines.hasPrefix(index + 1, Prefix.newFile)
    }

    /// `path` without `prefix` when it starts with it.
    static func strippingPrefix(_ path: String, _ prefix: String) -> String {
        path.hasPrefix(prefix) && path.count > prefix.count ? String(path.dropFirst(prefix.count)) : path
    }
}

/// Byte prefixes of the lines the parser recognizes.
enum Prefix {
    static let diffGit = Array("diff --git ".utf8)
    static let diffCombined = Array("diff --combined ".utf8)
    static let diffCC = Array("diff --cc ".utf8)
    static let diff = Array("diff ".utf8)
    static let oldFile = Array("--- ".utf8)
    static let newFile = Array("+++ ".utf8)
    static let hunk = Array("@@".utf8)
    static let hunkWithOldRange = Array("@@ -".utf8)
    static let combinedHunk = Array("@@@".utf8)
    static let oldMode = Array("old mode ".utf8)
    static let newMode = Array("new mode ".utf8)
    static let deletedFileMode = Array("deleted file mode ".utf8)
    static let newFileMode = Array("new file mode ".utf8)
    static let renameFrom = Array("rename from ".utf8)
    static let renameTo = Array("rename to ".utf8)
    static let renameOld = Array("rename old ".utf8)
    static let renameNew = Array("rename new ".utf8)
    static let copyFrom = Array("copy from ".utf8)
    static let copyTo = Array("copy to ".utf8)
    static let similarity = Array("similarity index ".utf8)
    static let dissimilarity = Array("dissimilarity index ".utf8)
    static let index = Array("index ".utf8)
    static let binaryFiles = Array("Binary files ".utf8)
    static let gitBinaryPatch = Array("GIT binary patch".utf8)
    static let signatureSeparator = Array("-- ".utf8)
}
