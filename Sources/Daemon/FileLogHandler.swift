import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler writing one line per message to a file, rotated by size
/// (`aid.log` -> `aid.log.1` -> ...). Lines read: `time level [request] message key=value`.
public struct FileLogHandler: LogHandler {
    /// The shared file behind every logger of the daemon.
    public final class Sink: Sendable {
        public let path: String
        private let maximumBytes: Int
        private let keptFiles: Int
        private struct State { var fd: CInt; var size: Int }
        private let state: Mutex<State>

        public init(path: String, maximumBytes: Int, keptFiles: Int) throws {
            self.path = path
            self.maximumBytes = maximumBytes
            self.keptFiles = keptFiles
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw DaemonError("cannot open log file \(path): \(String(cString: strerror(errno)))") }
            var info = stat()
            fstat(fd, &info)
            state = Mutex(State(fd: fd, size: Int(info.st_size)))
        }

        func write(_ line: String) {
            let bytes = Array(line.utf8)
            state.withLock { state in
                if state.size + bytes.count > maximumBytes { rotate(&state) }
                _ = bytes.withUnsafeBytes { Glibc.write(state.fd, $0.baseAddress, $0.count) }
                state.size += bytes.count
            }
        }

        private func rotate(_ state: inout State) {
            close(state.fd)
            if keptFiles > 1 {
                for index in stride(from: keptFiles - 1, through: 1, by: -1) {
                    let from = index == 1 ? path : "\(path).\(index - 1)"
                    rename(from, "\(path).\(index)")
                }
            } else {
                unlink(path)
            }
            state.fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            state.size = 0
        }

        deinit { state.withLock { _ = close($0.fd) } }
    }

    private let sink: Sink
    private let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(label: String, sink: Sink, level: Logger.Level) {
        self.label = label
        self.sink = sink
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = Self.timestamp() + " " + event.level.rawValue
        if let request = merged.removeValue(forKey: "request") { line += " [\(request)]" }
        line += " " + event.message.description
        for key in merged.keys.sorted() { line += " \(key)=\(merged[key]!)" }
        sink.write(line + "\n")
    }

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var time = now.tv_sec
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, now.tv_nsec / 1_000_000)
    }
}
