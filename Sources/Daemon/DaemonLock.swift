import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One daemon per socket: an exclusive `flock` on `<socket>.lock`, held for the daemon's life
/// (and across a restart's `exec`, since the descriptor is inherited). The kernel releases it
/// when the process dies, so a crashed daemon never blocks the next one; the lock file holds
/// the owner's pid for messages.
public struct DaemonLock: Sendable {
    public let descriptor: CInt

    /// What happened when trying to take the lock.
    public enum Outcome: Sendable {
        case acquired(DaemonLock)
        case heldBy(pid: Int?)
    }

    /// Tries to take the lock without waiting.
    public static func acquire(path: String) throws -> Outcome {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DaemonError("cannot open lock file \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let pid = readPID(fd)
            close(fd)
            return .heldBy(pid: pid)
        }
        ftruncate(fd, 0)
        let text = Array("\(getpid())\n".utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return .acquired(DaemonLock(descriptor: fd))
    }

    /// Adopts a lock inherited across `exec`.
    public static func adopt(descriptor: CInt) -> DaemonLock { DaemonLock(descriptor: descriptor) }

    /// The pid written in the lock file at `path`, if a live process holds the lock.
    public static func holder(path: String) -> Int? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // A shared lock succeeds only when nobody holds the exclusive one.
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        return readPID(fd) ?? -1
    }

    private static func readPID(_ fd: CInt) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Releases the lock (on shutdown).
    public func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
