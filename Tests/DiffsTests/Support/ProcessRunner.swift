import Foundation

/// Runs a command-line tool and collects its output, for tests that compare with git.
enum ProcessRunner {
    struct Failure: Error, CustomStringConvertible {
        var command: String
        var status: Int32
        var standardError: String
        var description: String { "\(command) exited with \(status): \(standardError)" }
    }

    /// Runs `executable` with `arguments`; standard input comes from `inputFile`
    /// when given. Returns standard output; throws when the exit status is not 0.
    @discardableResult
    static func run(
        _ executable: String, _ arguments: [String], inputFile: URL? = nil, directory: URL? = nil
    ) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        process.standardOutput = output
        let errorFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("process-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        process.standardError = errorHandle
        var inputHandle: FileHandle?
        if let inputFile {
            inputHandle = try FileHandle(forReadingFrom: inputFile)
            process.standardInput = inputHandle
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? errorHandle.close()
        try? inputHandle?.close()
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            throw Failure(
                command: ([executable] + arguments).joined(separator: " "), status: process.terminationStatus,
                standardError: message)
        }
        return data
    }

    /// Runs git with a neutral configuration (no colors, standard prefixes).
    @discardableResult
    static func git(_ arguments: [String], inputFile: URL? = nil, directory: URL? = nil) throws -> Data {
        let neutral = [
            "-c", "color.ui=never", "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false",
            "-c", "core.quotePath=true", "-c", "core.autocrlf=false",
        ]
        return try run("/usr/bin/env", ["git"] + neutral + arguments, inputFile: inputFile, directory: directory)
    }
}

/// A scratch directory removed when the test is done with it.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("diffs-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func write(_ text: String, to relativePath: String) throws {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func read(_ relativePath: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(relativePath), encoding: .utf8)
    }

    func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(relativePath).path)
    }
}
