#if os(Linux)
import Glibc

/// The reader thread's loop: waits for inotify events or a stop request.
enum EventLoop {
    /// How long to wait for the second half of a rename before treating
    /// its first half as a move out of the tree.
    static let movePairingTimeoutMilliseconds: Int32 = 50

    static func run(session: WatchSession, wake: Int32) {
        let bufferSize = 64 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            var descriptors = [
                pollfd(fd: session.inotify, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
            ]
            let timeout = session.hasPendingMoves ? movePairingTimeoutMilliseconds : -1
            let ready = poll(&descriptors, 2, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if descriptors[1].revents != 0 { return }
            if ready == 0 {
                session.expirePendingMoves()
                continue
            }
            let revents = Int32(descriptors[0].revents)
            if revents & Int32(POLLIN) != 0 {
                let count = read(session.inotify, buffer.baseAddress, bufferSize)
                if count < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return
                }
                if count == 0 { return }
                let events = InotifyEvent.decode(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                session.process(events)
            } else if revents & Int32(POLLERR | POLLHUP | POLLNVAL) != 0 {
                return
            }
        }
    }
}
#endif
