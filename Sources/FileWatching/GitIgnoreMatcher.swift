import Foundation

/// An ``IgnoreMatcher`` that follows `.gitignore`, `.ignore` and `.aidignore`
/// files throughout the tree, plus `.git/info/exclude` at the root.
///
/// Rules in a file apply to paths below that file's directory. Deeper files
/// take precedence over shallower ones; in one directory `.aidignore` beats
/// `.ignore`, which beats `.gitignore`; within a file, later lines win. As in
/// Git, nothing inside an ignored directory can be re-included.
///
/// Ignore files are read lazily and cached; the watcher calls
/// ``ignoreFileChanged(inDirectory:)`` when one changes, which drops the cache.
public final class GitIgnoreMatcher: IgnoreMatcher {
    /// The root the relative paths are resolved against.
    public let root: String
    private let cache = Locked(Cache())

    private struct Cache {
        var rules: [String: [IgnorePattern]] = [:]
        var directoryVerdicts: [String: Bool] = [:]
    }

    /// Creates a matcher for the tree at `root`.
    public init(root: String) {
        var root = root
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    /// Whether `relativePath` is ignored by the rules in effect.
    public func isIgnored(relativePath: String, isDirectory: Bool) -> Bool {
        let components = relativePath.split(separator: "/")
        guard !components.isEmpty else { return false }
        // Any ignored ancestor directory ignores the path.
        var ancestor = ""
        for index in 0..<(components.count - 1) {
            ancestor = index == 0 ? String(components[0]) : ancestor + "/" + components[index]
            if directoryIsIgnored(ancestor, components: components[...index]) { return true }
        }
        if isDirectory { return directoryIsIgnored(relativePath, components: components[...]) }
        return verdict(for: components[...], isDirectory: false)
    }

    /// Drops cached rules and verdicts after an ignore file changed.
    public func ignoreFileChanged(inDirectory relativeDirectory: String) {
        cache.withLock { cache in
            cache.rules[relativeDirectory] = nil
            // Verdicts below that directory may have changed; they are cheap
            // to recompute, so drop them all.
            cache.directoryVerdicts.removeAll()
        }
    }

    private func directoryIsIgnored(_ path: String, components: ArraySlice<Substring>) -> Bool {
        if let known = cache.withLock({ $0.directoryVerdicts[path] }) { return known }
        let ignored = verdict(for: components, isDirectory: true)
        cache.withLock { $0.directoryVerdicts[path] = ignored }
        return ignored
    }

    /// The last matching rule decides, considering the ignore files of every
    /// directory from the root down to the path's parent (deepest last).
    private func verdict(for components: ArraySlice<Substring>, isDirectory: Bool) -> Bool {
        var directory = ""
        var depth = components.startIndex
        var ignored = false
        while depth < components.endIndex {
            let relative = components[depth...]
            for rule in rules(in: directory) where rule.matches(relative, isDirectory: isDirectory) {
                ignored = !rule.isNegated
            }
            directory = directory.isEmpty ? String(components[depth]) : directory + "/" + components[depth]
            depth += 1
        }
        return ignored
    }

    /// The rules of one directory, lowest precedence first.
    private func rules(in directory: String) -> [IgnorePattern] {
        if let cached = cache.withLock({ $0.rules[directory] }) { return cached }
        let absolute = directory.isEmpty ? root : root + "/" + directory
        var files = BuiltInIgnores.ignoreFileNames.map { absolute + "/" + $0 }
        if directory.isEmpty { files.insert(root + "/.git/info/exclude", at: 0) }
        var rules: [IgnorePattern] = []
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            rules += text.split(separator: "\n", omittingEmptySubsequences: true).compactMap(IgnorePattern.init)
        }
        cache.withLock { $0.rules[directory] = rules }
        return rules
    }
}
