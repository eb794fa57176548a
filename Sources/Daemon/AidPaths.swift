import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where Aid keeps its socket, state, logs and configuration, as DESIGN.md fixes them:
/// - socket: `$AID_SOCKET`, else `$XDG_RUNTIME_DIR/aid/aid.sock`, else `/tmp/aid-$UID/aid.sock`;
/// - state: `$AID_STATE_DIR`, else `$XDG_STATE_HOME/aid`, else `~/.local/state/aid`;
/// - config: `$XDG_CONFIG_HOME/aid/config.toml`, else `~/.config/aid/config.toml`.
public struct AidPaths: Sendable, Equatable {
    public var socket: String
    public var stateDirectory: String
    public var configFile: String

    public init(socket: String, stateDirectory: String, configFile: String) {
        self.socket = socket
        self.stateDirectory = stateDirectory
        self.configFile = configFile
    }

    /// The paths for the given environment (the process's by default).
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> AidPaths {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let socket: String
        if let explicit = environment["AID_SOCKET"], !explicit.isEmpty {
            socket = explicit
        } else if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            socket = runtime + "/aid/aid.sock"
        } else {
            socket = "/tmp/aid-\(getuid())/aid.sock"
        }
        let state: String
        if let explicit = environment["AID_STATE_DIR"], !explicit.isEmpty {
            state = explicit
        } else if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty {
            state = xdg + "/aid"
        } else {
            state = home + "/.local/state/aid"
        }
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        return AidPaths(socket: socket, stateDirectory: state, configFile: configHome + "/aid/config.toml")
    }

    /// The directory holding the socket (and the daemon's lock file); kept at mode 0700.
    public var socketDirectory: String { (socket as NSString).deletingLastPathComponent }
    /// The lock that makes one daemon per socket.
    public var lockFile: String { socket + ".lock" }
    public var databaseFile: String { stateDirectory + "/aid.sqlite" }
    public var logFile: String { stateDirectory + "/aid.log" }
}

/// Creating private directories.
public enum PrivateDirectory {
    /// Creates `path` (and parents) if needed and makes sure it is ours and mode 0700.
    /// Throws with a message saying what to fix when it belongs to someone else.
    public static func ensure(_ path: String) throws {
        var info = stat()
        if stat(path, &info) != 0 {
            let oldMask = umask(0o077)
            defer { umask(oldMask) }
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            guard stat(path, &info) == 0 else { throw DaemonError("cannot create directory \(path)") }
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw DaemonError("\(path) exists and is not a directory; remove it or set AID_SOCKET / AID_STATE_DIR elsewhere")
        }
        guard info.st_uid == getuid() else {
            throw DaemonError("\(path) belongs to uid \(info.st_uid), not to you (uid \(getuid())); remove it or set AID_SOCKET / AID_STATE_DIR elsewhere")
        }
        if info.st_mode & 0o777 != 0o700 { chmod(path, 0o700) }
    }
}

/// An error of the daemon's own, with a message that says what to do.
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
