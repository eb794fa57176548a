import AidProtocol
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which binary is running, and which one a restart will run.
public enum ExecutableIdentity {
    /// The path to re-execute on restart: argv[0] made absolute (symlinks kept, so that an
    /// installer that flips a symlink is followed), else the running image's path.
    public static func installedPath(argv0: String = CommandLine.arguments[0]) -> String {
        if argv0.contains("/") {
            let absolute = argv0.hasPrefix("/") ? argv0 : FileManager.default.currentDirectoryPath + "/" + argv0
            return (absolute as NSString).standardizingPath
        }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/\(argv0)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? argv0
    }

    /// The identity of the image this process runs (not of whatever is at the path now).
    public static func running(path: String) -> DaemonStatus.Executable {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return .init(path: path, inode: 0, modified: 0) }
        return .init(path: path, inode: UInt64(info.st_ino),
                     modified: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) * 1e-9)
    }
}

/// The daemon's version.
public enum AidVersion {
    public static let current = "0.1.0"
}
