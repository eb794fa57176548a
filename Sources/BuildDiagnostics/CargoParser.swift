import Foundation

/// Parses `cargo check|build|test --message-format=json` output (one JSON
/// object per line; non-JSON lines such as `Checking demo v0.1.0` are
/// skipped, so stdout and stderr may be interleaved).
///
/// For each `compiler-message`: the primary span is the location (macro
/// expansions are followed back to the invocation when the primary span lies
/// in `<...>` pseudo files), its label is added as a second message line,
/// other spans become related information (with their labels), children
/// with spans become related information (`help: ...`, `note: ...`) and
/// children without spans are appended to the message. `code.code` is the
/// code. Messages without spans (`aborting due to ...`) are dropped.
///
/// Span file names are relative to the Cargo workspace root, which is found
/// from the target's absolute `src_path`, then from `manifest_path`.
public struct CargoParser: Sendable {
    /// Value of ``Diagnostic/source`` for what this parser reports.
    public var source: String

    /// Creates a parser whose diagnostics name `source` as their tool.
    public init(source: String = "rustc") {
        self.source = source
    }

    /// Parses `output`, making paths relative to `workspaceRoot`.
    public func parse(output: String, workspaceRoot: String) -> [Diagnostic] {
        parse(lines: OutputLine.split(output), resolver: PathResolver(workspaceRoot: workspaceRoot))
    }

    func parse(lines: [OutputLine], resolver: PathResolver) -> [Diagnostic] {
        var collector = DiagnosticCollector()
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var cargoRoots: [String: String] = [:]
        for line in lines where line.text.hasPrefix("{") && line.text.contains("\"compiler-message\"") {
            guard let record = try? decoder.decode(CargoRecord.self, from: Data(line.text.utf8)),
                  record.reason == "compiler-message", let message = record.message else { continue }
            let base = cargoRoot(for: record, message: message, cache: &cargoRoots)
            if let diagnostic = convert(message, base: base, resolver: resolver) {
                collector.add(diagnostic)
            }
        }
        return collector.diagnostics
    }

    /// The directory span file names are relative to.
    private func cargoRoot(for record: CargoRecord, message: RustMessage, cache: inout [String: String]) -> String? {
        let manifest = record.manifestPath ?? ""
        if let cached = cache[manifest] { return cached }
        let spanFiles = message.allSpans.map(\.fileName)
        if let sourcePath = record.target?.srcPath {
            for file in spanFiles where !file.hasPrefix("/") && sourcePath.hasSuffix("/" + file) {
                let root = String(sourcePath.dropLast(file.count + 1))
                cache[manifest] = root
                return root
            }
        }
        guard manifest.hasPrefix("/") else { return nil }
        // Walk up from the manifest directory to the first ancestor under
        // which the reported files exist; default to the manifest directory.
        let manifestDirectory = String(manifest[..<(manifest.lastIndex(of: "/") ?? manifest.endIndex)])
        var candidate = manifestDirectory
        let relativeFiles = spanFiles.filter { !$0.hasPrefix("/") && !$0.hasPrefix("<") }
        while !relativeFiles.isEmpty, !candidate.isEmpty {
            if relativeFiles.allSatisfy({ FileManager.default.fileExists(atPath: candidate + "/" + $0) }) {
                cache[manifest] = candidate
                return candidate
            }
            candidate = String(candidate[..<(candidate.lastIndex(of: "/") ?? candidate.startIndex)])
        }
        return manifestDirectory
    }

    private func convert(_ message: RustMessage, base: String?, resolver: PathResolver) -> Diagnostic? {
        guard let severity = CargoParser.severity(message.level),
              let primary = message.spans.first(where: \.isPrimary) ?? message.spans.first else { return nil }
        let location = CargoParser.realSpan(primary)
        func path(_ span: RustSpan) -> String { resolver.resolve(span.fileName, relativeTo: base) }
        var text = message.message
        if let label = location.label, !label.isEmpty { text += "\n" + label }
        var related: [RelatedInformation] = []
        for span in message.spans where span != primary {
            let real = CargoParser.realSpan(span)
            related.append(RelatedInformation(path: path(real), line: real.lineStart, column: real.columnStart,
                                              message: span.label ?? ""))
        }
        for child in message.children {
            let prefix = child.level.isEmpty ? "" : child.level + ": "
            guard !child.spans.isEmpty else {
                text += "\n" + prefix + child.message
                continue
            }
            for span in child.spans {
                let real = CargoParser.realSpan(span)
                var detail = prefix + child.message
                if let label = span.label, !label.isEmpty { detail += ": " + label }
                if let replacement = span.suggestedReplacement {
                    detail += " (suggested replacement: `\(replacement)`)"
                }
                related.append(RelatedInformation(path: path(real), line: real.lineStart,
                                                  column: real.columnStart, message: detail))
            }
        }
        return Diagnostic(
            path: path(location), line: location.lineStart, column: location.columnStart,
            endLine: location.lineEnd, endColumn: location.columnEnd,
            severity: severity, message: text, code: message.code?.code, related: related, source: source)
    }

    /// Follows macro expansions out of `<...>` pseudo files to real source.
    private static func realSpan(_ span: RustSpan) -> RustSpan {
        var current = span
        var depth = 0
        while current.fileName.hasPrefix("<"), let outer = current.expansion?.span, depth < 32 {
            current = outer.value
            depth += 1
        }
        return current
    }

    private static func severity(_ level: String) -> DiagnosticSeverity? {
        switch level {
        case "error", "error: internal compiler error": return .error
        case "warning": return .warning
        case "note": return .note
        case "help": return .info
        default: return nil
        }
    }
}
