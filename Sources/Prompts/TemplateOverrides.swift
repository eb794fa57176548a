import Foundation

/// What loading template overrides from a directory did.
public struct TemplateOverrideReport: Sendable, Hashable {
    /// The strategies whose template now comes from a file, with the file's path.
    public var applied: [StrategyID: String]
    /// Files in the directory that name no registered strategy (with a hint for
    /// the log: probably misspelled).
    public var ignoredFiles: [String]
    /// False when the directory does not exist (no overrides, not an error).
    public var directoryExists: Bool

    /// Creates a report.
    public init(applied: [StrategyID: String] = [:], ignoredFiles: [String] = [], directoryExists: Bool = true) {
        self.applied = applied
        self.ignoredFiles = ignoredFiles
        self.directoryExists = directoryExists
    }
}

extension StrategyRegistry {
    /// Replaces built-in templates with the user's: `<directory>/<name>@<version>.txt`
    /// overrides that version, `<directory>/<name>.txt` every version of `name`
    /// without a versioned file. See `TemplatePlaceholder` for the syntax.
    ///
    /// All files are checked before any is used: on error the registry is unchanged.
    ///
    /// - Throws: `PromptTemplateError` naming the file, line and placeholder for an
    ///   unknown placeholder or marker, a missing required placeholder, or an
    ///   unreadable file.
    @discardableResult
    public mutating func loadTemplateOverrides(from directory: URL) throws(PromptTemplateError) -> TemplateOverrideReport {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return TemplateOverrideReport(directoryExists: false)
        }
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: directory.path).sorted()
        } catch {
            throw PromptTemplateError(source: directory.path, reason: .unreadableDirectory(error.localizedDescription))
        }
        var updated = self
        var report = TemplateOverrideReport()
        var versioned: [StrategyID: URL] = [:]
        var unversioned: [String: URL] = [:]
        let known = strategies.map(\.id)
        for name in names where !name.hasPrefix(".") {
            let url = directory.appendingPathComponent(name)
            guard name.hasSuffix(".txt") else {
                report.ignoredFiles.append(url.path)
                continue
            }
            let stem = String(name.dropLast(4))
            if let id = StrategyID(stem), known.contains(id) {
                versioned[id] = url
            } else if known.contains(where: { $0.name == stem }) {
                unversioned[stem] = url
            } else {
                report.ignoredFiles.append(url.path)
            }
        }
        for id in known {
            guard let url = versioned[id] ?? unversioned[id.name] else { continue }
            let template = try PromptTemplate(text: Self.read(url), source: url.path)
            try updated.useTemplate(template, for: id)
            report.applied[id] = url.path
        }
        self = updated
        return report
    }

    private static func read(_ url: URL) throws(PromptTemplateError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PromptTemplateError(source: url.path, reason: .unreadable(error.localizedDescription))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PromptTemplateError(source: url.path, reason: .unreadable("not valid UTF-8"))
        }
        return text
    }
}
