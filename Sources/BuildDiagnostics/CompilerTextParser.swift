/// The engine shared by the GCC, Clang and Swift parsers: all three print
/// `path:line:col: severity: message` headers, follow them with a source
/// excerpt, and print notes as further headers that belong to the preceding
/// error or warning.
///
/// Understood on top of the header lines:
/// - GCC/Clang excerpts with a `NN |` gutter, and gutter-less excerpts
///   (a source line followed by a `^~~` caret line);
/// - Swift's boxed excerpts, whose `` `- note: `` markers become related
///   information located at the excerpt line above them;
/// - `In file included from a.c:2,` chains and GCC's template instantiation
///   context (`In instantiation of ...:` + `x.cpp:10:26:   required from here`),
///   which become related information of the next error or warning;
/// - continuation lines of multi-line messages;
/// - trailing `[-Wflag]` / `[#Group]` tags, which become the code.
///
/// Lines without a location (`error: link command failed`, `collect2: error:
/// ld returned 1 exit status`, `N errors generated.`) are not diagnostics
/// and are skipped, as is the build driver's progress chatter.
struct CompilerTextParser: Sendable {
    /// Value of ``Diagnostic/source`` for what this parser reports.
    var source: String

    func parse(lines: [OutputLine], resolver: PathResolver) -> [Diagnostic] {
        var state = State(source: source, resolver: resolver)
        for line in lines { state.consume(line) }
        state.flush()
        return state.collector.diagnostics
    }
}

extension CompilerTextParser {
    private struct State {
        let source: String
        let resolver: PathResolver
        var collector = DiagnosticCollector()
        /// The error/warning being assembled; notes attach to it.
        var pending: Diagnostic?
        /// Where continuation lines go: the pending message or its last related entry.
        var continuationTarget: Target = .none
        var continuation: [String] = []
        /// True once the excerpt under the current header began.
        var excerptSeen = false
        /// Location of the header that owns the current excerpt box.
        var boxOwner: (path: String, line: Int, column: Int?, message: String)?
        var boxLine: Int?
        /// Include chain / instantiation context for the next error.
        var context: [RelatedInformation] = []
        var inIncludeChain = false
        var contextTitle: String?

        enum Target { case none, message, lastRelated }

        init(source: String, resolver: PathResolver) {
            self.source = source
            self.resolver = resolver
        }

        mutating func consume(_ line: OutputLine) {
            let text = line.text
            if text.trimmingSpaces().isEmpty {
                endContinuation()
                return
            }
            if text.hasPrefix("In file included from ") {
                endContinuation()
                context.removeAll()
                inIncludeChain = true
                addIncludeEntry(text.dropFirst("In file included from ".count), line)
                return
            }
            if inIncludeChain, text.first == " ", text.trimmingSpaces().hasPrefix("from ") {
                addIncludeEntry(text.trimmingSpaces().dropFirst("from ".count), line)
                return
            }
            inIncludeChain = false
            if let gutter = LineShape.gutter(text) {
                endContinuation()
                excerptSeen = true
                if let number = gutter.number { boxLine = number } else { handleBoxMarker(gutter.body) }
                return
            }
            if let located = LocatedLine.parse(text) {
                handleLocated(located, line)
                return
            }
            if let title = functionContext(text) {
                endContinuation()
                contextTitle = title
                return
            }
            if LineShape.isCaretLine(text) {
                if !excerptSeen, !continuation.isEmpty { continuation.removeLast() }
                endContinuation()
                excerptSeen = true
                return
            }
            if CompilerTextParser.isNoise(text) {
                endContinuation()
                excerptSeen = true
                return
            }
            if continuationTarget != .none, !excerptSeen {
                continuation.append(text.trimmingTrailingSpaces())
            }
        }

        mutating func handleLocated(_ located: LocatedLine, _ line: OutputLine) {
            endContinuation()
            let path = resolver.resolve(located.path, relativeTo: line.directory)
            guard let prefix = SeverityPrefix.parse(located.rest) else {
                // `x.cpp:10:26:   required from here` and similar context lines.
                let detail = located.rest.trimmingSpaces()
                let title = contextTitle ?? ""
                let message = title.isEmpty ? detail : "\(title): \(detail)"
                contextTitle = nil
                context.append(RelatedInformation(path: path, line: located.line, column: located.column,
                                                  message: message))
                continuationTarget = .none
                return
            }
            let message = prefix.message
            var bareMessage = message
            _ = LineShape.extractFlag(from: &bareMessage)
            excerptSeen = false
            boxLine = nil
            boxOwner = (path, located.line, located.column, bareMessage)
            if prefix.severity == .note, pending != nil {
                let related = RelatedInformation(path: path, line: located.line, column: located.column,
                                                 message: message)
                if pending?.related.contains(related) == false { pending?.related.append(related) }
                context.removeAll()
                contextTitle = nil
                continuationTarget = pending?.related.last == related ? .lastRelated : .none
                return
            }
            flush()
            pending = Diagnostic(
                path: path, line: located.line, column: located.column,
                severity: prefix.severity, message: message, code: prefix.code,
                related: context, source: source)
            context.removeAll()
            contextTitle = nil
            continuationTarget = .message
        }

        /// A Swift box marker such as `` `- note: previously declared here``.
        mutating func handleBoxMarker(_ body: Substring) {
            guard pending != nil, let owner = boxOwner, let row = boxLine else { return }
            let markerStart = body.firstIndex(where: { $0 != " " }) ?? body.endIndex
            let marker = body[markerStart...]
            guard marker.hasPrefix("`- ") || marker.hasPrefix("|- ") else { return }
            guard let prefix = SeverityPrefix.parse(marker.dropFirst(3)) else { return }
            let column = body.distance(from: body.startIndex, to: markerStart) + 1
            var message = prefix.message
            _ = LineShape.extractFlag(from: &message)
            if row == owner.line, message == owner.message { return }
            guard prefix.severity == .note || prefix.severity == .info else { return }
            let related = RelatedInformation(path: owner.path, line: row, column: column, message: message)
            if pending?.related.contains(related) == false { pending?.related.append(related) }
        }

        mutating func addIncludeEntry(_ spec: some StringProtocol, _ line: OutputLine) {
            var spec = spec.trimmingSpaces()
            if spec.hasSuffix(",") || spec.hasSuffix(":") { spec.removeLast() }
            guard let colon = spec.lastIndex(of: ":"),
                  let number = Int(spec[spec.index(after: colon)...]) else { return }
            let path = resolver.resolve(String(spec[..<colon]), relativeTo: line.directory)
            context.append(RelatedInformation(path: path, line: number, column: nil,
                                              message: "In file included from here"))
        }

        /// `main.c: In function ‘main’:`, `x.cpp: In instantiation of ...:`.
        /// Returns the text worth keeping (instantiation context) or "" for
        /// plain function context; nil when the line is something else.
        func functionContext(_ text: String) -> String? {
            guard text.hasSuffix(":"), let range = text.range(of: ": In ") ?? text.range(of: ": At ") else {
                return nil
            }
            let title = text[text.index(range.lowerBound, offsetBy: 2)...].dropLast()
            if title.hasPrefix("In instantiation of") || title.hasPrefix("In substitution of") {
                return String(title)
            }
            return ""
        }

        mutating func endContinuation() {
            defer {
                continuation.removeAll()
                continuationTarget = .none
            }
            guard !continuation.isEmpty, var diagnostic = pending else { return }
            switch continuationTarget {
            case .none:
                return
            case .message:
                diagnostic.message = ([diagnostic.message] + continuation).joined(separator: "\n")
            case .lastRelated:
                guard let last = diagnostic.related.indices.last else { return }
                diagnostic.related[last].message = ([diagnostic.related[last].message] + continuation)
                    .joined(separator: "\n")
            }
            pending = diagnostic
        }

        mutating func flush() {
            endContinuation()
            if var done = pending {
                // The flag tag follows the last line of a multi-line message.
                let flag = LineShape.extractFlag(from: &done.message)
                done.code = done.code ?? flag
                for index in done.related.indices {
                    _ = LineShape.extractFlag(from: &done.related[index].message)
                }
                collector.add(done)
            }
            pending = nil
        }
    }

    /// Lines printed by build drivers and compilers around diagnostics that
    /// never belong to a message.
    static func isNoise(_ text: String) -> Bool {
        if text.hasSuffix(" generated.") || text == "compilation terminated." { return true }
        for prefix in ["make: ", "make[", "gmake: ", "gmake[", "ninja: "] where text.hasPrefix(prefix) {
            return true
        }
        if text.hasPrefix("FAILED: ") || text.hasPrefix("Building for ") || text.hasPrefix("Build complete") {
            return true
        }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            // `[ 50%] Building C object`, `[3/7] Compiling`, `[#Group]: <url>`.
            let inner = text[text.index(after: text.startIndex)..<close]
            if inner.hasPrefix("#") || inner.hasSuffix("%") || inner.contains("/") { return true }
        }
        if text.hasPrefix("error: ") || text.hasPrefix("warning: ") { return true }
        return false
    }
}
