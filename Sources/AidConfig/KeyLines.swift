/// Finds the line on which a key is set in a TOML text, so errors can point at it.
/// Handles `[table]` and `[table.sub]` headers and `key = value` / `dotted.key = value` lines;
/// for anything fancier the error names the key without a line.
struct KeyLines: Sendable {
    private var lines: [String: Int] = [:]

    init(text: String) {
        var table: [String] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: " \t\r")
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("[") {
                let inner = line.trimmingCharacters(in: "[] \t")
                table = inner.split(separator: ".").map { $0.trimmingCharacters(in: " \t\"") }
                lines[table.joined(separator: "."), default: index + 1] = index + 1
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].split(separator: ".").map { $0.trimmingCharacters(in: " \t\"") }
            let path = (table + key).joined(separator: ".")
            lines[path, default: index + 1] = index + 1
        }
    }

    func line(of path: [String]) -> Int? {
        var path = path
        while !path.isEmpty {
            if let line = lines[path.joined(separator: ".")] { return line }
            path.removeLast()
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
