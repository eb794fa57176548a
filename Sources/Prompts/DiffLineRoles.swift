/// What each line of (possibly) unified-diff text is, read the way a tolerant
/// reader would: file headers, hunk headers, hunk body lines, elisions standing
/// for left-out context, and everything else (prose).
enum DiffLineRole: Equatable {
    case prose
    case fileHeader
    case hunkHeader
    case body
    case elision

    /// True for every role but prose.
    var isDiff: Bool { self != .prose }

    /// The private marker that turns an elision into a context line
    /// `UnifiedDiffParser` keeps; `PatchRepair` resolves such lines later.
    static let elisionSentinel = "\u{E000}"

    private static let extendedHeaders = [
        "index ", "new file mode ", "deleted file mode ", "old mode ", "new mode ", "similarity index ",
        "dissimilarity index ", "rename from ", "rename to ", "copy from ", "copy to ", "Binary files ",
        "GIT binary patch",
    ]

    /// The roles of `lines`, in order. Inside a hunk, a line without a diff prefix
    /// for which `isFileLine` is true is taken as a context line that lost its
    /// leading space.
    static func roles(of lines: [String], isFileLine: ((String) -> Bool)? = nil) -> [DiffLineRole] {
        enum State { case outside, header, hunk }
        var state = State.outside
        var roles: [DiffLineRole] = []
        roles.reserveCapacity(lines.count)
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("diff --git ") {
                roles.append(.fileHeader)
                state = .header
            } else if line.hasPrefix("--- "), index + 1 < lines.count, lines[index + 1].hasPrefix("+++ ") {
                roles.append(contentsOf: [.fileHeader, .fileHeader])
                index += 1
                state = .header
            } else if line.hasPrefix("@@") {
                roles.append(.hunkHeader)
                state = .hunk
            } else if state == .header, extendedHeaders.contains(where: { line.hasPrefix($0) }) {
                roles.append(.fileHeader)
            } else if state == .hunk, let role = bodyRole(line) {
                roles.append(role)
            } else if state == .hunk, isFileLine?(line) == true {
                roles.append(.body)
            } else {
                roles.append(.prose)
                state = .outside
            }
            index += 1
        }
        return roles
    }

    /// The role of a line inside a hunk body; nil when the line ends the body.
    private static func bodyRole(_ line: String) -> DiffLineRole? {
        guard let first = line.first else { return .body }
        switch first {
        case " ":
            return ElisionMarker.isElision(String(line.dropFirst())) ? .elision : .body
        case "+", "-", "\\":
            return .body
        case "\t":
            // A context line whose leading space was lost before a tab indent.
            return ElisionMarker.isElision(line) ? .elision : .body
        default:
            return ElisionMarker.isElision(line) ? .elision : nil
        }
    }

    /// The `-a,b +c,d` numbers of a hunk header, nil when it has none.
    static func hunkCounts(_ line: String) -> (oldStart: Int, oldCount: Int, newStart: Int, newCount: Int)? {
        var scanner = Substring(line)
        guard scanner.hasPrefix("@@"), !scanner.hasPrefix("@@@") else { return nil }
        scanner = scanner.dropFirst(2)
        func range(_ sign: Character) -> (Int, Int)? {
            scanner = scanner.drop { $0 == " " }
            guard scanner.first == sign else { return nil }
            scanner = scanner.dropFirst()
            let startDigits = scanner.prefix { $0.isASCII && $0.isNumber }
            guard !startDigits.isEmpty, let start = Int(startDigits) else { return nil }
            scanner = scanner.dropFirst(startDigits.count)
            guard scanner.first == "," else { return (start, 1) }
            scanner = scanner.dropFirst()
            let countDigits = scanner.prefix { $0.isASCII && $0.isNumber }
            guard !countDigits.isEmpty, let count = Int(countDigits) else { return nil }
            scanner = scanner.dropFirst(countDigits.count)
            return (start, count)
        }
        guard let old = range("-"), let new = range("+") else { return nil }
        scanner = scanner.drop { $0 == " " }
        guard scanner.isEmpty || scanner.hasPrefix("@@") else { return nil }
        return (old.0, old.1, new.0, new.1)
    }
}
