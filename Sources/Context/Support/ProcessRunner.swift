import Foundation

/// Runs a helper program (git, ctags) to completion and collects its output.
///
/// Synchronous on purpose: callers run it from a task they dedicate to the
/// job, and the child's own work dominates the wait.
enum ProcessRunner {
    /// What a finished program produced.
    struct Output: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: Data

        /// Standard error as text, trimmed, for error messages.
        var errorText: String {
            String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Runs `executable` (a path, or a name looked up in `PATH`) with
    /// `arguments` in `directory`, feeding it `input` on standard input.
    /// - Throws: ``ContextError/toolUnavailable(_:reason:)`` when it cannot start.
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                    input: Data? = nil) throws -> Output {
        let process = Process()
        guard let resolved = locate(executable) else {
            throw ContextError.toolUnavailable(executable, reason: "not found in PATH")
        }
        process.executableURL = URL(fileURLWithPath: resolved)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let stdin = input == nil ? nil : Pipe()
        process.standardInput = stdin ?? FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ContextError.toolUnavailable(executable, reason: "\(error)")
        }
        let errorData = Protected(Data())
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            let data = stderr.fileHandleForReading.readDataToEndOfFile()
            errorData.withLock { $0 = data }
            group.leave()
        }
        if let stdin, let input {
            group.enter()
            DispatchQueue.global().async {
                try? stdin.fileHandleForWriting.write(contentsOf: input)
                try? stdin.fileHandleForWriting.close()
                group.leave()
            }
        }
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: outputData, stderr: errorData.withLock { $0 })
    }

    private static let searchPath: [String] = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map(String.init)
    }()

    /// The absolute path of `name`, searching `PATH` when it has no slash.
    static func locate(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for directory in searchPath {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
