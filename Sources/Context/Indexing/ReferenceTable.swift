/// Workspace-wide counts of identifiers, for ranking declarations by how
/// widely they are used.
///
/// For each vocabulary id of an identifier as written in code (exact case,
/// comments and strings excluded) it keeps how many files
/// mention it, how often, and how many files declare something by that
/// name. A declaration's reference count is the number of files that
/// mention its name without declaring it, shared among the files that
/// declare the same name.
struct ReferenceTable: Sendable {
    private var mentioningFiles: [Int32] = []
    private var occurrences: [Int32] = []
    private var declaringFiles: [Int32] = []

    private mutating func ensure(_ term: Int32) {
        let needed = Int(term) + 1
        if needed > mentioningFiles.count {
            let grown = max(needed, mentioningFiles.count * 2)
            mentioningFiles.append(contentsOf: repeatElement(0, count: grown - mentioningFiles.count))
            occurrences.append(contentsOf: repeatElement(0, count: grown - occurrences.count))
            declaringFiles.append(contentsOf: repeatElement(0, count: grown - declaringFiles.count))
        }
    }

    /// Adds (`sign` = 1) or removes (`sign` = -1) one file's identifiers and declared names.
    mutating func apply(identifiers: [Int32], counts: [Int32], declared: [Int32], sign: Int32) {
        for (term, count) in zip(identifiers, counts) {
            ensure(term)
            mentioningFiles[Int(term)] += sign
            occurrences[Int(term)] += sign * count
        }
        for term in declared {
            ensure(term)
            declaringFiles[Int(term)] += sign
        }
    }

    /// Files that mention `term` without declaring it.
    func referencingFiles(_ term: Int32) -> Int {
        guard Int(term) < mentioningFiles.count else { return 0 }
        return max(0, Int(mentioningFiles[Int(term)] - declaringFiles[Int(term)]))
    }

    /// Total occurrences of `term` across the workspace.
    func occurrenceCount(_ term: Int32) -> Int {
        Int(term) < occurrences.count ? Int(occurrences[Int(term)]) : 0
    }

    /// Files declaring something named `term`.
    func declarationCount(_ term: Int32) -> Int {
        Int(term) < declaringFiles.count ? Int(declaringFiles[Int(term)]) : 0
    }

    /// The ranking score of a declaration named `term`: referencing files
    /// divided among the declaring files.
    func score(_ term: Int32) -> Double {
        let declaring = max(1, declarationCount(term))
        return Double(referencingFiles(term)) / Double(declaring)
    }
}
