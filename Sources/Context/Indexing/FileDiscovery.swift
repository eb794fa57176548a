import FileWatching
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Size and modification time of a regular file.
struct FileStatus: Sendable, Equatable {
    var size: Int
    /// Nanoseconds since 1970.
    var modified: Int64

    /// The status of the regular file at `path`, or nil for anything else
    /// (missing, directory, symbolic link, device).
    static func of(_ path: String) -> FileStatus? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if canImport(Darwin)
        let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #else
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #endif
        return FileStatus(size: Int(info.st_size), modified: modified)
    }
}

/// Lists the files of a workspace that the index should consider.
///
/// In a Git work tree the list comes from `git ls-files -co --exclude-standard`
/// (tracked plus untracked-but-not-ignored files), then `.ignore` and
/// `.aidignore` rules are applied on top; elsewhere the tree is walked with
/// a ``GitIgnoreMatcher`` (which reads `.gitignore`, `.ignore` and
/// `.aidignore` at every level), never entering ignored directories or
/// following symbolic links. `.git` is always skipped. Binary and huge
/// files are filtered later, when their contents are read
/// (see ``FileContentPolicy``).
struct FileDiscovery: Sendable {
    let root: String
    let matcher: GitIgnoreMatcher

    init(root: String) {
        self.root = root
        matcher = GitIgnoreMatcher(root: root)
    }

    /// True when `root` is the top of a Git work tree and git runs.
    var usesGit: Bool {
        FileManager.default.fileExists(atPath: root + "/.git") && ProcessRunner.locate("git") != nil
    }

    /// Relative paths of candidate files, sorted; only those below
    /// `directory` (relative, "" for the whole tree) when given.
    func discover(under directory: String = "") throws -> [String] {
        var paths: [String]
        if directory.split(separator: "/").contains(where: { $0 == ".git" }) { return [] }
        if !directory.isEmpty, matcher.isIgnored(relativePath: directory, isDirectory: true) { return [] }
        if usesGit, let listed = try? gitFiles(under: directory) {
            paths = listed.filter { !isIgnored($0) }
        } else {
            paths = []
            walk(directory, into: &paths)
        }
        paths.sort()
        return paths
    }

    /// Whether a relative path is excluded by the ignore files or is version-control data.
    func isIgnored(_ relativePath: String) -> Bool {
        BuiltInIgnores.isVersionControlPath(relativePath) || matcher.isIgnored(relativePath: relativePath, isDirectory: false)
    }

    private func gitFiles(under directory: String) throws -> [String] {
        var arguments = ["-C", root, "ls-files", "-co", "--exclude-standard", "-z"]
        if !directory.isEmpty { arguments += ["--", directory] }
        let output = try ProcessRunner.run("git", arguments)
        guard output.status == 0 else {
            throw ContextError.toolFailed("git ls-files", status: output.status, message: output.errorText)
        }
        return output.stdout.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    private func walk(_ directory: String, into paths: inout [String]) {
        let absolute = directory.isEmpty ? root : root + "/" + directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else { return }
        for name in names.sorted() {
            let relative = directory.isEmpty ? name : directory + "/" + name
            if name == ".git" { continue }
            var info = stat()
            guard lstat(absolute + "/" + name, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                if !matcher.isIgnored(relativePath: relative, isDirectory: true) { walk(relative, into: &paths) }
            case S_IFREG:
                if !matcher.isIgnored(relativePath: relative, isDirectory: false) { paths.append(relative) }
            default:
                continue
            }
        }
    }
}

/// Which file contents are indexed.
public struct FileContentPolicy: Sendable, Equatable {
    /// Files larger than this are skipped (default 1 MiB).
    public var maximumFileSize: Int
    /// A NUL byte within this many leading bytes marks a file as binary (default 8 KiB).
    public var binaryProbeLength: Int

    /// Creates a policy.
    public init(maximumFileSize: Int = 1 << 20, binaryProbeLength: Int = 8 << 10) {
        self.maximumFileSize = maximumFileSize
        self.binaryProbeLength = binaryProbeLength
    }

    /// Why `data` is not indexed, or nil when it is.
    public func rejection(size: Int, data: Data? = nil) -> SkipReason? {
        if size > maximumFileSize { return .tooLarge }
        guard let data else { return nil }
        let probe = data.prefix(binaryProbeLength)
        if probe.contains(0) { return .binary }
        return nil
    }
}

/// Why a discovered file was left out of the index.
public enum SkipReason: String, Sendable, Codable {
    /// Larger than ``FileContentPolicy/maximumFileSize``.
    case tooLarge
    /// Has a NUL byte near the start.
    case binary
    /// Could not be read.
    case unreadable
}
