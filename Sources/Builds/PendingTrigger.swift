import AidProtocol

/// Why a build is wanted and which paths changed, gathered until the build starts.
struct PendingTrigger: Sendable, Equatable {
    var reason: BuildStatus.Reason
    private(set) var paths: [String] = []
    private var seen: Set<String> = []

    /// Paths kept at most (a status shows fewer).
    static let maximumPaths = 1000

    init(reason: BuildStatus.Reason, paths: [String] = []) {
        self.reason = reason
        add(paths)
    }

    mutating func add(_ more: [String]) {
        for path in more where paths.count < Self.maximumPaths && seen.insert(path).inserted { paths.append(path) }
    }

    /// Both triggers in one: the paths of both; the reason that matters most (a request, then a
    /// lost-events rescan, then the first build, then changes).
    func merged(with other: PendingTrigger?) -> PendingTrigger {
        guard let other else { return self }
        var result = self
        result.add(other.paths)
        let rank: [BuildStatus.Reason: Int] = [.manual: 0, .rescan: 1, .initial: 2, .change: 3]
        if rank[other.reason, default: 9] < rank[reason, default: 9] { result.reason = other.reason }
        return result
    }
}
