import Foundation

/// A fresh directory under the system's temporary directory, removed by `remove()`.
/// Kept short because Unix socket paths are limited to 107 bytes.
public struct TestDirectory: Sendable {
    public let path: String

    /// Every test directory of this process lives under one base, removed when the process
    /// exits: what a failing or interrupted test leaves behind does not pile up in /tmp.
    public static let processBase: String = {
        let base = "/tmp/aid-test-\(getpid())"
        try? FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: "/tmp/aid-test-\(getpid())") }
        return base
    }()

    public init(_ label: String = "t") throws {
        let base = Self.processBase
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let template = base + "/\(label)-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: made)
    }

    public func file(_ name: String) -> String { path + "/" + name }

    public func write(_ name: String, _ text: String) throws {
        let target = file(name)
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: target, atomically: true, encoding: .utf8)
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
