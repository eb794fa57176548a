import Foundation

/// A long-lived `ctags --_interactive` process for tagging one file at a
/// time without paying for a process start (about 8 ms) per change.
///
/// Requests are serialised; each sends `{"command":"generate-tags",
/// "filename":…,"size":…}` followed by the file's bytes and reads JSON tag
/// lines up to `{"_type":"completed"}`. If the process dies it is started
/// again on the next request; callers fall back to batch mode on any error.
///
/// `@unchecked Sendable`: every access to the mutable process state happens
/// while holding `lock`.
final class InteractiveCtags: @unchecked Sendable {
    private let executable: String
    private let root: String
    private let lock = NSLock()
    private var process: Process?
    private var input: FileHandle?
    private var output: FileHandle?
    private var buffer = Data()

    /// Nil when the installed ctags cannot run interactively.
    static let unavailableReason: String? = {
        if let reason = CtagsRunner.unavailableReason { return reason }
        guard let features = try? ProcessRunner.run("ctags", ["--list-features"]),
              String(decoding: features.stdout, as: UTF8.self).contains("interactive") else {
            return "this universal-ctags has no interactive mode"
        }
        return nil
    }()

    init(executable: String, root: String) {
        self.executable = executable
        self.root = root
    }

    deinit {
        try? input?.close()
        process?.terminate()
    }

    /// The tags of one file whose contents are `data`.
    func tags(path: String, data: Data) throws -> [CtagsRunner.Tag] {
        lock.lock()
        defer { lock.unlock() }
        do {
            return try request(path: path, data: data)
        } catch {
            stop()
            throw error
        }
    }

    private func request(path: String, data: Data) throws -> [CtagsRunner.Tag] {
        if process == nil { try start() }
        guard let input, let output else { throw ContextError.toolFailed("ctags --_interactive", status: -1, message: "not running") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let name = String(decoding: try encoder.encode(path), as: UTF8.self)
        var message = Data("{\"command\":\"generate-tags\",\"filename\":\(name),\"size\":\(data.count)}\n".utf8)
        message.append(data)
        try input.write(contentsOf: message)
        var lines = Data()
        while true {
            let line = try readLine(from: output)
            if line.range(of: Data("\"_type\": \"completed\"".utf8)) != nil
                || line.range(of: Data("\"_type\":\"completed\"".utf8)) != nil {
                break
            }
            if line.range(of: Data("\"_type\": \"error\"".utf8)) != nil {
                throw ContextError.toolFailed("ctags --_interactive", status: -1, message: String(decoding: line, as: UTF8.self))
            }
            lines.append(line)
            lines.append(0x0A)
        }
        return CtagsRunner.parse(lines)[path] ?? []
    }

    private func start() throws {
        guard let resolved = ProcessRunner.locate(executable) else {
            throw ContextError.toolUnavailable(executable, reason: "not found in PATH")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: resolved)
        process.arguments = ["--_interactive", "--output-format=json", "--fields=+neKS", "--fields=-P", "--sort=no",
                             "--languages=\(CtagsRunner.languages)"]
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ContextError.toolUnavailable(executable, reason: "\(error)")
        }
        self.process = process
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading
        buffer = Data()
        // The greeting: {"_type": "program", …}
        _ = try readLine(from: stdout.fileHandleForReading)
    }

    private func stop() {
        try? input?.close()
        process?.terminate()
        process = nil
        input = nil
        output = nil
        buffer = Data()
    }

    /// The next line of output (without its newline); throws at end of output.
    private func readLine(from handle: FileHandle) throws -> Data {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = buffer[(newline + 1)...]
                return Data(line)
            }
            let chunk = handle.availableData
            if chunk.isEmpty {
                throw ContextError.toolFailed("ctags --_interactive", status: process?.terminationStatus ?? -1,
                                              message: "exited unexpectedly")
            }
            buffer.append(chunk)
        }
    }
}
