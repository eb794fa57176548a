import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Small secrets and identifiers the daemon keeps in its state directory (the endpoint's token,
/// the install id): files of this user only, mode 0600, written once.
enum PrivateFile {
    /// The trimmed content of `path`; when the file does not exist, creates it (mode 0600, never
    /// replacing a file that appears meanwhile) with `make()`. A file readable by others is made
    /// private again.
    static func readOrCreate(_ path: String, make: () -> String) throws -> String {
        let value = make()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            defer { close(fd) }
            let bytes = Array((value + "\n").utf8)
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count else {
                unlink(path)
                throw DaemonError("cannot write \(path): \(String(cString: strerror(errno))); check the state directory's free space and permissions")
            }
            return value
        }
        guard errno == EEXIST else {
            throw DaemonError("cannot create \(path): \(String(cString: strerror(errno))); check the state directory's permissions")
        }
        var info = stat()
        guard stat(path, &info) == 0, info.st_uid == getuid() else {
            throw DaemonError("\(path) does not belong to you; remove it and restart the daemon")
        }
        if info.st_mode & 0o077 != 0 { chmod(path, 0o600) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DaemonError("cannot read \(path); remove it and restart the daemon to make a new one")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw DaemonError("\(path) is empty; remove it and restart the daemon to make a new one")
        }
        return text
    }

    /// `count` random bytes as lowercase hex.
    static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }
}
