#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// Why a Unix socket could not be set up or reached.
public struct UnixSocketError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ operation: String, path: String, errno code: Int32 = errno) {
        description = "\(operation) \(path): \(String(cString: strerror(code)))"
        self.code = code
    }
    public var code: Int32
}

/// Plain POSIX helpers for the daemon's listening socket, which must be a raw descriptor so that
/// it can be handed over to the next binary across `exec`.
public enum UnixSocket {
    /// Creates, binds and listens on a Unix stream socket at `path` with mode 0600. The caller
    /// has made sure no live daemon owns the path (see `DaemonLock`); a leftover file is removed.
    public static func listen(path: String, backlog: Int32 = 1024) throws -> CInt {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw UnixSocketError("socket() for", path: path) }
        var address = try makeAddress(path)
        unlink(path)
        // Create the socket file with 0600 from the start: no window in which others may connect.
        let oldMask = umask(0o177)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        umask(oldMask)
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw UnixSocketError("bind", path: path, errno: code)
        }
        chmod(path, 0o600)
        guard Glibc.listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw UnixSocketError("listen on", path: path, errno: code)
        }
        return fd
    }

    /// Connects to the socket at `path`; returns a blocking descriptor.
    public static func connect(path: String) throws -> CInt {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw UnixSocketError("socket() for", path: path) }
        var address = try makeAddress(path)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw UnixSocketError("connect to", path: path, errno: code)
        }
        return fd
    }

    /// Whether a daemon answers connects at `path` right now.
    public static func isAccepting(path: String) -> Bool {
        guard let fd = try? connect(path: path) else { return false }
        close(fd)
        return true
    }

    /// Lets `fd` survive `exec` (clears FD_CLOEXEC).
    public static func keepAcrossExec(_ fd: CInt) {
        let flags = fcntl(fd, F_GETFD)
        if flags >= 0 { _ = fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) }
    }

    private static func makeAddress(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            throw UnixSocketError("socket path is longer than \(capacity - 1) bytes:", path: path, errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }
}
