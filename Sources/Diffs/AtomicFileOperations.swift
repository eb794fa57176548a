import Foundation

/// A file's bytes and permissions on disk, kept to restore it.
struct DiskSnapshot: Sendable {
    /// The content, nil when the file did not exist.
    var data: [UInt8]?
    /// The permission bits (`st_mode & 0o7777`).
    var permissions: mode_t

    /// Reads `path`; a missing file gives a snapshot with nil data.
    static func read(_ path: String) throws(FileOperationError) -> DiskSnapshot {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return DiskSnapshot(data: nil, permissions: 0o644) }
            throw FileOperationError(operation: "stat", path: path)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw FileOperationError(path: path, message: "not a regular file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileOperationError(path: path, message: "cannot read the file")
        }
        return DiskSnapshot(data: [UInt8](data), permissions: info.st_mode & 0o7777)
    }
}

/// A failed system call, with its `strerror` message.
struct FileOperationError: Error, Sendable {
    var path: String
    var message: String

    init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    init(operation: String, path: String) {
        self.path = path
        self.message = "\(operation) failed: \(String(cString: strerror(errno)))"
    }
}

/// Durable file replacement: write a temporary file in the same directory, fsync
/// it, rename it over the target, fsync the directory.
enum AtomicFileOperations {
    static func write(_ bytes: [UInt8], to path: String, permissions: mode_t) throws(FileOperationError) {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        var template = Array((directory + "/." + name + ".patch-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw FileOperationError(operation: "creating a temporary file", path: path) }
        let temporaryPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        do throws(FileOperationError) {
            try writeAll(bytes, to: descriptor, path: path)
            guard fchmod(descriptor, permissions) == 0 else { throw FileOperationError(operation: "fchmod", path: path) }
            guard fsync(descriptor) == 0 else { throw FileOperationError(operation: "fsync", path: path) }
            closed = true
            guard close(descriptor) == 0 else { throw FileOperationError(operation: "close", path: path) }
            guard rename(temporaryPath, path) == 0 else { throw FileOperationError(operation: "rename", path: path) }
        } catch {
            unlink(temporaryPath)
            throw error
        }
        syncDirectory(directory)
    }

    static func remove(_ path: String) throws(FileOperationError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw FileOperationError(operation: "unlink", path: path) }
        syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// Creates the missing ancestors of `path`, returning those created, outermost first.
    static func createParentDirectories(of path: String) throws(FileOperationError) -> [String] {
        var missing: [String] = []
        var directory = (path as NSString).deletingLastPathComponent
        while !directory.isEmpty, directory != "/", !FileManager.default.fileExists(atPath: directory) {
            missing.append(directory)
            directory = (directory as NSString).deletingLastPathComponent
        }
        var created: [String] = []
        for directory in missing.reversed() {
            guard mkdir(directory, 0o755) == 0 || errno == EEXIST else {
                throw FileOperationError(operation: "mkdir", path: directory)
            }
            created.append(directory)
        }
        return created
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(FileOperationError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw FileOperationError(operation: "write", path: path)
            }
            written += result
        }
    }

    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
