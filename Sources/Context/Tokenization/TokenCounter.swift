import Foundation

/// Counts the tokens a text costs in the model's window.
public protocol TokenCounter: Sendable {
    /// A short description for logs and previews ("cl100k_base BPE").
    var name: String { get }
    /// True when counts equal the model tokenizer's exactly.
    var isExact: Bool { get }
    /// The number of tokens `text` encodes to.
    func count(_ text: String) -> Int
}

/// Chooses the best available ``TokenCounter``.
public enum TokenCounterFactory {
    /// The environment variable naming a `cl100k_base.tiktoken` file.
    public static let ranksPathVariable = "AID_CL100K_RANKS"

    /// Places searched for the ranks file when no path is given, in order:
    /// `$AID_CL100K_RANKS`, `~/.cache/aid/cl100k_base.tiktoken`,
    /// `/usr/share/aid/cl100k_base.tiktoken`.
    public static func defaultRanksPaths(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var paths: [String] = []
        if let explicit = environment[ranksPathVariable], !explicit.isEmpty { paths.append(explicit) }
        let home = environment["HOME"] ?? NSHomeDirectory()
        paths.append(home + "/.cache/aid/cl100k_base.tiktoken")
        paths.append("/usr/share/aid/cl100k_base.tiktoken")
        return paths
    }

    /// The exact cl100k BPE when a ranks file loads from `path` (or, when
    /// nil, from the first of ``defaultRanksPaths(environment:)`` that
    /// exists); otherwise ``ApproximateTokenCounter``. `problem` receives
    /// why the fallback was chosen (nil when the BPE loaded).
    public static func make(ranksPath path: String? = nil, problem: ((String) -> Void)? = nil) -> any TokenCounter {
        let candidates = path.map { [$0] } ?? defaultRanksPaths()
        var reasons: [String] = []
        for candidate in candidates {
            guard FileManager.default.fileExists(atPath: candidate) else {
                reasons.append("no file at \(candidate)")
                continue
            }
            do {
                return try BPETokenizer(ranksFile: candidate)
            } catch {
                reasons.append("\(error)")
            }
        }
        problem?("cl100k_base ranks not loaded (\(reasons.joined(separator: "; "))); "
            + "token counts are approximate (about ±10%). \(TokenizerError.ranksFileUnreadable(path: candidates.first ?? "").description)")
        return ApproximateTokenCounter()
    }
}
