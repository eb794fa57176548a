/// Collects the changes derived from one read of the kernel queue and folds
/// repeated events for the same path together:
///
/// | earlier   | later    | result                              |
/// |-----------|----------|-------------------------------------|
/// | created   | modified | created                             |
/// | created   | deleted  | (nothing: it came and went)         |
/// | deleted   | created  | modified (replaced)                 |
/// | modified  | deleted  | deleted                             |
/// | renamed   | modified | renamed                             |
/// | renamed   | deleted  | deleted (of the path before rename) |
/// | x         | x        | x                                   |
struct ChangeBatch: Sendable {
    private(set) var changes: [FileChange] = []
    private var indexByPath: [String: Int] = [:]

    var isEmpty: Bool { changes.isEmpty }

    mutating func add(_ change: FileChange) {
        guard let index = indexByPath[change.relativePath] else {
            indexByPath[change.relativePath] = changes.count
            changes.append(change)
            return
        }
        var merged = changes[index]
        switch (merged.kind, change.kind) {
        case (.created, .modified), (.renamed, .modified):
            return
        case (.created, .deleted):
            remove(at: index)
            return
        case (.deleted, .created), (.deleted, .modified):
            merged.kind = .modified
            merged.isDirectory = change.isDirectory
        case (.renamed, .deleted):
            remove(at: index)
            if let previous = merged.previousPath {
                add(FileChange(relativePath: previous, kind: .deleted, isDirectory: merged.isDirectory))
            }
            return
        default:
            merged = change
        }
        changes[index] = merged
    }

    private mutating func remove(at index: Int) {
        changes.remove(at: index)
        indexByPath = [:]
        for (position, change) in changes.enumerated() { indexByPath[change.relativePath] = position }
    }

    /// Returns the collected changes and starts over.
    mutating func take() -> [FileChange] {
        defer {
            changes = []
            indexByPath = [:]
        }
        return changes
    }
}
