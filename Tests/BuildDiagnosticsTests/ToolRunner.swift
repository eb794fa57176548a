import Foundation

/// Runs real build tools for the live tests.
enum ToolRunner {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The absolute path of `name` found on `PATH` (or in the Swift toolchain
    /// directory for `swiftc`), nil when the tool is not installed.
    static func find(_ name: String) -> String? {
        var directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        directories += ["/usr/bin", "/usr/local/bin", "/opt/swift/usr/bin"]
        for directory in directories {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` in `directory` and returns its exit status and its
    /// combined stdout and stderr. Waits for the process to exit for at most
    /// `timeout` seconds, then terminates it and throws.
    static func run(_ executable: String, _ arguments: [String], in directory: URL,
                    timeout: TimeInterval = 120) async throws -> (status: Int32, output: String) {
        let outputFile = directory.appendingPathComponent(".tool-output-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let handle = try FileHandle(forWritingTo: outputFile)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = handle
        process.standardError = handle
        let gate = ResumeGate()
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in
                if gate.claim() { continuation.resume(returning: finished.terminationStatus) }
            }
            do {
                try process.run()
            } catch {
                if gate.claim() { continuation.resume(throwing: error) }
                return
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                guard gate.claim() else { return }
                process.terminate()
                continuation.resume(throwing: Failure(description: "\(executable) did not finish within \(timeout) s"))
            }
        }
        return (status, try String(contentsOf: outputFile, encoding: .utf8))
    }

    /// A fresh temporary directory containing `files` (relative path → text).
    static func makeProject(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("aid-live-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }
}

/// Lets exactly one of several racing callbacks resume a continuation.
///
/// `@unchecked Sendable` is safe: `claimed` is only read and written while
/// `lock` is held.
private final class ResumeGate: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    /// True for the first caller only.
    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
    }
}
