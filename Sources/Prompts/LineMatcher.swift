/// Finding a run of lines in a file at decreasing strictness: exactly, ignoring
/// trailing whitespace, then ignoring indentation as well. The normalized lines
/// of a level are computed when the level is first needed.
final class LineMatcher {
    /// How strictly lines are compared.
    enum Level: Int, CaseIterable, Comparable {
        /// Equal apart from a carriage return.
        case exact
        /// Equal once trailing spaces and tabs are removed.
        case trailingWhitespace
        /// Equal once leading and trailing whitespace are removed.
        case indentation

        func key(_ line: String) -> String {
            switch self {
            case .exact: return line.hasSuffix("\r") ? String(line.dropLast()) : line
            case .trailingWhitespace: return LineSplitter.trimmingTrailingWhitespace(line)
            case .indentation: return LineSplitter.trimmed(line)
            }
        }

        static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The file's lines.
    let lines: [String]
    private var keyCache: [Level: [String]] = [:]

    init(lines: [String]) {
        self.lines = lines
    }

    /// The file's distinct lines.
    private(set) lazy var lineSet = Set(lines)

    /// The first file line for each line without trailing whitespace.
    private(set) lazy var firstLineByTrailingKey: [String: String] = {
        var byKey: [String: String] = [:]
        for (line, key) in zip(lines, keys(.trailingWhitespace)) where byKey[key] == nil {
            byKey[key] = line
        }
        return byKey
    }()

    private func keys(_ level: Level) -> [String] {
        if let cached = keyCache[level] { return cached }
        let computed = level == .exact && !lines.contains(where: { $0.hasSuffix("\r") }) ? lines : lines.map(level.key)
        keyCache[level] = computed
        return computed
    }

    /// Every start where `pattern` matches at `level`, within `range` (the whole
    /// file by default), in increasing order.
    func starts(of pattern: [String], level: Level, in range: Range<Int>? = nil) -> [Int] {
        let range = range ?? 0..<lines.count
        guard !pattern.isEmpty, range.count >= pattern.count else { return [] }
        let fileKeys = keys(level)
        let patternKeys = pattern.map(level.key)
        var found: [Int] = []
        candidates: for start in range.lowerBound...(range.upperBound - pattern.count)
        where fileKeys[start] == patternKeys[0] {
            for offset in 1..<patternKeys.count where fileKeys[start + offset] != patternKeys[offset] {
                continue candidates
            }
            found.append(start)
        }
        return found
    }

    /// The first start at or after `lowerBound` where `pattern` matches at the
    /// strictest level that finds one, with that level.
    func firstStart(of pattern: [String], from lowerBound: Int) -> (start: Int, level: Level)? {
        guard lowerBound <= lines.count else { return nil }
        for level in Level.allCases {
            if let start = starts(of: pattern, level: level, in: lowerBound..<lines.count).first {
                return (start, level)
            }
        }
        return nil
    }

    /// The start where most of `pattern`'s lines equal the file's, ignoring
    /// indentation, with the 0-based offset of the first unequal line; nil when no
    /// line matches anywhere.
    func closest(to pattern: [String]) -> (start: Int, equal: Int, firstDifference: Int)? {
        guard !pattern.isEmpty, !lines.isEmpty else { return nil }
        let fileKeys = keys(.indentation)
        let patternKeys = pattern.map(Level.indentation.key)
        var best: (start: Int, equal: Int, firstDifference: Int)?
        let lastStart = max(0, lines.count - pattern.count)
        for start in 0...lastStart {
            var equal = 0
            var firstDifference: Int?
            for offset in patternKeys.indices {
                if start + offset < fileKeys.count, fileKeys[start + offset] == patternKeys[offset] {
                    equal += 1
                } else if firstDifference == nil {
                    firstDifference = offset
                }
            }
            if equal > (best?.equal ?? 0), let firstDifference {
                best = (start, equal, firstDifference)
            }
        }
        return best
    }
}
