import Foundation

/// Builds the warning shown when the kernel's inotify watch limit is exhausted.
public enum WatchLimitMessage: Sendable {
    /// Where Linux exposes the per-user watch limit.
    public static let limitPath = "/proc/sys/fs/inotify/max_user_watches"

    /// Reads the current `fs.inotify.max_user_watches`, nil when unavailable.
    public static func currentLimit(path: String = limitPath) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A limit worth suggesting: at least 524288, and at least double the current one.
    public static func suggestedLimit(current: Int?) -> Int {
        max(524_288, (current ?? 0) * 2)
    }

    /// The warning text.
    ///
    /// - Parameters:
    ///   - root: the watched workspace root.
    ///   - watchedDirectories: how many directories are watched.
    ///   - unwatchedDirectories: how many could not be watched so far.
    ///   - currentLimit: the value of `fs.inotify.max_user_watches`, if known.
    public static func make(root: String, watchedDirectories: Int, unwatchedDirectories: Int,
                            currentLimit: Int?) -> String {
        let limitText = currentLimit.map { "the limit of \($0) inotify watches" } ?? "the inotify watch limit"
        let suggested = suggestedLimit(current: currentLimit)
        let missed = unwatchedDirectories == 1 ? "1 directory" : "\(unwatchedDirectories) directories"
        return """
            File watching is incomplete for \(root): \(limitText) per user \
            (fs.inotify.max_user_watches) is used up. \(watchedDirectories) directories are watched, \
            \(missed) could not be, and changes there will go unnoticed. Other programs (editors, \
            other watchers) share this limit. To raise it now, run \
            `sudo sysctl fs.inotify.max_user_watches=\(suggested)`; to keep it after a reboot, add the \
            line `fs.inotify.max_user_watches=\(suggested)` to /etc/sysctl.d/90-inotify.conf. \
            Ignoring large generated directories (build output, dependencies) in .gitignore, .ignore \
            or .aidignore also reduces the number of watches needed.
            """
    }
}
