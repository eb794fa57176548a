/// Reading the file-level headers: `diff --git`, git's extended header lines,
/// `---`/`+++` names and `Binary files … differ`.
extension DiffScanner {
    /// The extended header lines git writes between `diff --git` and `---`.
    private struct GitMetadata {
        var oldMode: FileMode?
        var newMode: FileMode?
        var deletedFileMode: FileMode?
        var newFileMode: FileMode?
        var renameFrom: String?
        var renameTo: String?
        var copyFrom: String?
        var copyTo: String?
        var similarity: Int?
        var dissimilarity: Int?
        var oldObjectID: String?
        var newObjectID: String?
        var indexMode: FileMode?
        var isBinary = false
    }

    /// A file introduced by `diff --git a/x b/y`, with its extended headers and
    /// optional `---`/`+++` lines. Hunks are read by the main loop.
    mutating func scanGitFile() throws(DiffParseError) {
        let headerIndex = index
        let headerNames = try gitHeaderNames(at: headerIndex)
        index += 1
        var meta = GitMetadata()
        while index < lines.count, try readExtendedHeader(into: &meta) {
            index += 1
        }
        var minusName: String??
        var plusName: String??
        if isFileHeaderPair(at: index) {
            minusName = .some(try headerPath(at: index, prefixLength: 4).map { Self.strippingPrefix($0, "a/") })
            plusName = .some(try headerPath(at: index + 1, prefixLength: 4).map { Self.strippingPrefix($0, "b/") })
            index += 2
        }

        let headerOld = headerNames.map { Self.strippingPrefix($0.old, "a/") }
        let headerNew = headerNames.map { Self.strippingPrefix($0.new, "b/") }
        var oldPath: String? = meta.renameFrom ?? meta.copyFrom ?? (minusName ?? headerOld)
        var newPath: String? = meta.renameTo ?? meta.copyTo ?? (plusName ?? headerNew)
        let kind: FilePatch.Kind
        if meta.deletedFileMode != nil || (minusName != nil && plusName == .some(nil)) {
            kind = .delete
            oldPath = oldPath ?? headerOld ?? headerNew
            newPath = nil
        } else if meta.newFileMode != nil || (plusName != nil && minusName == .some(nil)) {
            kind = .create
            newPath = newPath ?? headerNew ?? headerOld
            oldPath = nil
        } else if meta.renameFrom != nil || meta.renameTo != nil {
            kind = .rename
        } else if meta.copyFrom != nil || meta.copyTo != nil {
            kind = .copy
        } else {
            kind = oldPath != nil && newPath != nil && oldPath != newPath ? .rename : .modify
        }
        guard oldPath != nil || newPath != nil, kind == .create || oldPath != nil, kind == .delete || newPath != nil
        else {
            throw DiffParseError(.unreadableFileNames(lines.text(headerIndex)), line: headerIndex + 1)
        }

        let patch = FilePatch(
            oldPath: oldPath,
            newPath: newPath,
            kind: kind,
            oldMode: meta.oldMode ?? meta.deletedFileMode ?? (kind == .create ? nil : meta.indexMode),
            newMode: meta.newMode ?? meta.newFileMode ?? (kind == .delete ? nil : meta.indexMode),
            similarity: meta.similarity,
            dissimilarity: meta.dissimilarity,
            oldObjectID: meta.oldObjectID,
            newObjectID: meta.newObjectID,
            isBinary: meta.isBinary
        )
        if meta.isBinary {
            try recordBinary(path: patch.displayPath, line: headerIndex, template: patch)
            return
        }
        patches.append(patch)
        lastPatchAcceptsHunks = true
    }

    /// Reads line `index` as an extended header into `meta`; false when it is not one.
    private mutating func readExtendedHeader(into meta: inout GitMetadata) throws(DiffParseError) -> Bool {
        func rest(_ prefix: [UInt8]) -> String {
            let range = lines.contents[index]
            return String(decoding: lines.bytes[(range.lowerBound + prefix.count)..<range.upperBound], as: UTF8.self)
        }
        func path(_ prefix: [UInt8]) throws(DiffParseError) -> String {
            try headerPath(at: index, prefixLength: prefix.count, allowsTimestamp: false) ?? "/dev/null"
        }
        func percentage(_ prefix: [UInt8]) -> Int? {
            Int(rest(prefix).trimmingSuffix("%"))
        }
        if lines.hasPrefix(index, Prefix.oldMode) {
            meta.oldMode = FileMode(octal: rest(Prefix.oldMode))
        } else if lines.hasPrefix(index, Prefix.newMode) {
            meta.newMode = FileMode(octal: rest(Prefix.newMode))
        } else if lines.hasPrefix(index, Prefix.deletedFileMode) {
            meta.deletedFileMode = FileMode(octal: rest(Prefix.deletedFileMode)) ?? .regular
        } else if lines.hasPrefix(index, Prefix.newFileMode) {
            meta.newFileMode = FileMode(octal: rest(Prefix.newFileMode)) ?? .regular
        } else if lines.hasPrefix(index, Prefix.renameFrom) {
            meta.renameFrom = try path(Prefix.renameFrom)
        } else if lines.hasPrefix(index, Prefix.renameTo) {
            meta.renameTo = try path(Prefix.renameTo)
        } else if lines.hasPrefix(index, Prefix.renameOld) {
            meta.renameFrom = try path(Prefix.renameOld)
        } else if lines.hasPrefix(index, Prefix.renameNew) {
            meta.renameTo = try path(Prefix.renameNew)
        } else if lines.hasPrefix(index, Prefix.copyFrom) {
            meta.copyFrom = try path(Prefix.copyFrom)
        } else if lines.hasPrefix(index, Prefix.copyTo) {
            meta.copyTo = try path(Prefix.copyTo)
        } else if lines.hasPrefix(index, Prefix.similarity) {
            meta.similarity = percentage(Prefix.similarity)
        } else if lines.hasPrefix(index, Prefix.dissimilarity) {
            meta.dissimilarity = percentage(Prefix.dissimilarity)
        } else if lines.hasPrefix(index, Prefix.index) {
            let fields = rest(Prefix.index).split(separator: " ", omittingEmptySubsequences: true)
            guard let ids = fields.first, let dots = ids.range(of: "..") else { return false }
            meta.oldObjectID = String(ids[..<dots.lowerBound])
            meta.newObjectID = String(ids[dots.upperBound...])
            if fields.count > 1 { meta.indexMode = FileMode(octal: fields[1]) }
        } else if lines.hasPrefix(index, Prefix.binaryFiles) {
            meta.isBinary = true
        } else if lines.hasPrefix(index, Prefix.gitBinaryPatch) {
            meta.isBinary = true
            // Skip the base85 payload: it runs until the next file or the end.
            while index + 1 < lines.count, !lines.hasPrefix(index + 1, Prefix.diff) {
                index += 1
            }
        } else {
            return false
        }
        return true
    }

    /// The two names of a `diff --git` line, with their `a/`/`b/` prefixes, or nil
    /// when unquoted names containing spaces cannot be told apart.
    private func gitHeaderNames(at lineIndex: Int) throws(DiffParseError) -> (old: String, new: String)? {
        let range = lines.contents[lineIndex]
        let rest = lines.bytes[(range.lowerBound + Prefix.diffGit.count)..<range.upperBound]
        let quote = UInt8(ascii: "\"")
        let space = UInt8(ascii: " ")
        if rest.first == quote {
            guard let (old, consumed) = GitPathQuoting.unquote(rest) else {
                throw DiffParseError(.malformedQuotedPath(lines.text(lineIndex)), line: lineIndex + 1)
            }
            var second = rest.dropFirst(consumed)
            while second.first == space { second = second.dropFirst() }
            return (old, try nameToken(second, lineIndex: lineIndex))
        }
        // Second name quoted: split at the last ` "`.
        if rest.last == quote, let split = lastIndex(of: [space, quote], in: rest) {
            let old = String(decoding: rest[rest.startIndex..<split], as: UTF8.self)
            return (old, try nameToken(rest[(split + 1)...], lineIndex: lineIndex))
        }
        // Both unquoted: the usual `a/P b/P` splits in the middle with equal halves.
        if rest.count % 2 == 1 {
            let middle = rest.startIndex + rest.count / 2
            let first = rest[rest.startIndex..<middle]
            let second = rest[(middle + 1)...]
            if rest[middle] == space, first.count > 2, first.dropFirst(2).elementsEqual(second.dropFirst(2)) {
                return (String(decoding: first, as: UTF8.self), String(decoding: second, as: UTF8.self))
            }
        }
        // A rename with unquoted names: split at the only ` b/`.
        let marker = Array(" b/".utf8)
        let candidates = (rest.startIndex..<rest.endIndex).filter { start in
            start + marker.count <= rest.endIndex && rest[start..<(start + marker.count)].elementsEqual(marker)
        }
        if candidates.count == 1, let split = candidates.first {
            return (
                String(decoding: rest[rest.startIndex..<split], as: UTF8.self),
                String(decoding: rest[(split + 1)...], as: UTF8.self)
            )
        }
        return nil
    }

    private func nameToken(_ bytes: ArraySlice<UInt8>, lineIndex: Int) throws(DiffParseError) -> String {
        guard bytes.first == UInt8(ascii: "\"") else { return String(decoding: bytes, as: UTF8.self) }
        guard let (name, _) = GitPathQuoting.unquote(bytes) else {
            throw DiffParseError(.malformedQuotedPath(lines.text(lineIndex)), line: lineIndex + 1)
        }
        return name
    }

    private func lastIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        var start = haystack.endIndex - needle.count
        while start >= haystack.startIndex {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
            start -= 1
        }
        return nil
    }

    /// The path on a `--- `, `+++ `, `rename from ` (etc.) line after `prefixLength`
    /// bytes; nil for `/dev/null` (or, on `---`/`+++` lines, a `diff -N` epoch
    /// timestamp marking a missing file). A tab ends an unquoted name: what follows
    /// is a timestamp, or git's hint that the name contains spaces.
    func headerPath(at lineIndex: Int, prefixLength: Int, allowsTimestamp: Bool = true) throws(DiffParseError) -> String? {
        let range = lines.contents[lineIndex]
        var rest = lines.bytes[(range.lowerBound + prefixLength)..<range.upperBound]
        if rest.first == UInt8(ascii: "\"") {
            guard let (path, _) = GitPathQuoting.unquote(rest) else {
                throw DiffParseError(.malformedQuotedPath(lines.text(lineIndex)), line: lineIndex + 1)
            }
            return path == "/dev/null" ? nil : path
        }
        var timestamp: ArraySlice<UInt8> = []
        if allowsTimestamp, let tab = rest.firstIndex(of: 0x09) {
            timestamp = rest[(tab + 1)...]
            rest = rest[rest.startIndex..<tab]
        }
        while let last = rest.last, Bytes.isWhitespace(last) { rest = rest.dropLast() }
        let path = String(decoding: rest, as: UTF8.self)
        if path == "/dev/null" { return nil }
        let epochs = ["1970-01-01 00:00:00", "1969-12-31"].map { Array($0.utf8) }
        if epochs.contains(where: { timestamp.starts(with: $0) }) { return nil }
        return path
    }

    /// The file named by a plain `Binary files A and B differ` line, or nil when
    /// line `lineIndex` is not one.
    func plainBinaryFilesPath(at lineIndex: Int) -> String? {
        guard lines.hasPrefix(lineIndex, Prefix.binaryFiles) else { return nil }
        let text = lines.text(lineIndex)
        guard text.hasSuffix(" differ") else { return nil }
        let names = text.dropFirst("Binary files ".count).dropLast(" differ".count)
        guard let and = names.range(of: " and ") else { return String(names) }
        let old = String(names[..<and.lowerBound])
        let new = String(names[and.upperBound...])
        return new == "/dev/null" ? Self.strippingPrefix(old, "a/") : Self.strippingPrefix(new, "b/")
    }
}

extension String {
    /// The string without `suffix` at its end.
    func trimmingSuffix(_ suffix: String) -> Substring {
        hasSuffix(suffix) ? dropLast(suffix.count) : self[...]
    }
}
