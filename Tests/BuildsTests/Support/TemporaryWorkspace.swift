import AidTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory for one test, with helpers to change files the way editors and tools do.
struct TemporaryWorkspace: Sendable {
    let root: String

    init(_ label: String = "ws") throws {
        let base = TestDirectory.processBase + "/builds"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        var template = Array((base + "/\(label)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        // Canonical, so that it compares equal to what the daemon reports.
        root = URL(fileURLWithPath: String(cString: made)).resolvingSymlinksInPath().path
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    /// Writes `text` in place (open, truncate, write, close).
    func write(_ relative: String, _ text: String) throws {
        let target = path(relative)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
    }

    /// Saves like most editors: writes a temporary file next to the target, then renames it over.
    func saveAtomically(_ relative: String, _ text: String) throws {
        let temporary = path(relative + ".aid-save-tmp")
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path(relative)) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    func read(_ relative: String) -> String? {
        try? String(contentsOfFile: path(relative), encoding: .utf8)
    }

    func remove(_ relative: String) throws { try FileManager.default.removeItem(atPath: path(relative)) }

    func makeDirectory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }

    func delete() { try? FileManager.default.removeItem(atPath: root) }
}

/// Whether process `pid` no longer runs (gone, or a zombie no one has reaped yet).
func processIsGone(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    // The state follows the command name, which is in parentheses.
    guard let close = stat.lastIndex(of: ")") else { return true }
    let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
    return state == "Z" || state == "X"
}

/// The pid written in a file by a build command (`echo $! > file`), once the file is complete.
func pid(in text: String?) -> Int32? {
    text.flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}

/// Whether no process of process group `group` runs any more (zombies, which only wait for
/// their parent to collect them, do not count).
func processGroupIsGone(_ group: Int32) -> Bool {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for entry in entries {
        guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { continue }
        // After the command name: state, ppid, pgrp, ...
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, Int32(fields[2]) == group else { continue }
        if fields[0] != "Z" && fields[0] != "X" { return false }
    }
    return true
}
