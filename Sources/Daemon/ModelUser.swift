import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who the daemon's requests come from, for sticky experiment assignment: the OS user name and a
/// random install id kept in `<state>/install-id`, so that the same person on the same machine
/// always lands in the same arm, and two machines of one user name are told apart. Records
/// store only a hash of it.
enum ModelUser {
    /// `name@installid`; the install id is made on first use.
    static func identifier(stateDirectory: String) throws -> String {
        let install = try PrivateFile.readOrCreate(stateDirectory + "/install-id") { PrivateFile.randomHex(bytes: 16) }
        return "\(userName())@\(install)"
    }

    /// The name of the user running the daemon.
    static func userName() -> String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid\(getuid())"
    }
}
