/// One line of tool output after terminal escape sequences were removed,
/// together with the directory a `make`-style tool said it was working in.
struct OutputLine: Sendable {
    /// The text without ANSI escapes, trailing carriage return or newline.
    var text: String
    /// The absolute directory announced by the closest preceding
    /// `Entering directory '...'` line that is still in effect, if any.
    var directory: String?

    /// Splits tool output into lines, strips ANSI escape sequences and tracks
    /// `make[N]: Entering directory '/x'` / `Leaving directory` (also printed
    /// by dune and `ninja -C`-style wrappers) so that relative paths can be
    /// resolved against the directory the compiler actually ran in.
    static func split(_ output: String) -> [OutputLine] {
        var result: [OutputLine] = []
        var stack: [String] = []
        let cleaned = output.contains("\u{1B}") ? stripANSI(output) : output
        for rawLine in cleaned.split(separator: "\n", omittingEmptySubsequences: false) {
            var text = Substring(rawLine)
            if text.last == "\r" { text = text.dropLast() }
            let line = String(text)
            if let entered = directoryChange(in: line, marker: "Entering directory") {
                stack.append(entered)
            } else if directoryChange(in: line, marker: "Leaving directory") != nil {
                if !stack.isEmpty { stack.removeLast() }
            }
            result.append(OutputLine(text: line, directory: stack.last))
        }
        while let last = result.last, last.text.isEmpty { result.removeLast() }
        return result
    }

    /// Returns the quoted directory of a `... Entering directory '/x'` line.
    private static func directoryChange(in line: String, marker: String) -> String? {
        guard let range = line.range(of: marker) else { return nil }
        var rest = line[range.upperBound...].drop(while: { $0 == " " })
        guard let open = rest.first, open == "'" || open == "`" || open == "\"" || open == "‘" else {
            return nil
        }
        rest = rest.dropFirst()
        guard let close = rest.lastIndex(where: { $0 == "'" || $0 == "\"" || $0 == "’" }) else { return nil }
        let directory = String(rest[..<close])
        return directory.hasPrefix("/") ? directory : nil
    }

    /// Removes CSI (`ESC [ ... letter`) and OSC (`ESC ] ... BEL`) sequences.
    static func stripANSI(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\u{1B}" else {
                out.append(scalar)
                continue
            }
            guard let kind = scalars.next() else { break }
            if kind == "[" {
                // Parameters and intermediates until a final byte 0x40-0x7E.
                while let next = scalars.next(), !(0x40...0x7E).contains(next.value) {}
            } else if kind == "]" {
                // Operating system command: ends with BEL or ESC \.
                while let next = scalars.next() {
                    if next == "\u{07}" { break }
                    if next == "\u{1B}" { _ = scalars.next(); break }
                }
            }
        }
        return String(out)
    }
}
