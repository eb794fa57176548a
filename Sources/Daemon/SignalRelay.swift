import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns signals into calls on a thread of its own. The handlers are in place (`sigaction`)
/// before `install` returns, so a signal that arrives at any moment after it is acted on: a
/// dispatch signal source registers asynchronously, and a SIGTERM sent just after start-up was
/// ignored and lost. A handler only writes the signal's number to a pipe (async-signal-safe);
/// the relay thread reads it and calls the action.
enum SignalRelay {
    /// The pipe's write end, set before any handler is installed.
    private nonisolated(unsafe) static var writeEnd: Int32 = -1

    /// Relays `signals` to `action`; only the first call installs anything. Returns why it
    /// could not, if it could not.
    static func install(_ signals: [Int32], _ action: @escaping @Sendable (Int32) -> Void) -> String? {
        guard writeEnd < 0 else { return nil }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return "no pipe for signals: \(String(cString: strerror(errno)))" }
        // Not inherited by the builds the daemon runs, nor by the binary a restart executes.
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        writeEnd = ends[1]
        let readEnd = ends[0]
        let relay = Thread {
            var number: UInt8 = 0
            while true {
                let n = read(readEnd, &number, 1)
                if n == 1 {
                    action(Int32(number))
                } else if n < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        relay.name = "aid-signals"
        relay.start()
        for number in signals {
            var handler = sigaction()
            handler.__sigaction_handler.sa_handler = { number in
                let saved = errno
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(SignalRelay.writeEnd, &byte, 1)
                errno = saved
            }
            sigemptyset(&handler.sa_mask)
            handler.sa_flags = SA_RESTART
            sigaction(number, &handler, nil)
        }
        return nil
    }
}
