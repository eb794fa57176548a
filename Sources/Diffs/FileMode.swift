/// A git file mode such as `100644` (regular file) or `100755` (executable).
public struct FileMode: Sendable, Hashable, CustomStringConvertible {
    /// The numeric mode, e.g. `0o100644`.
    public var rawValue: UInt32

    /// Creates a mode from its numeric value.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Parses the octal text git writes (`"100644"`); nil when it is not octal.
    public init?(octal text: some StringProtocol) {
        guard !text.isEmpty, text.count <= 7, let value = UInt32(text, radix: 8) else { return nil }
        self.rawValue = value
    }

    /// A regular, non-executable file.
    public static let regular = FileMode(rawValue: 0o100644)
    /// A regular executable file.
    public static let executable = FileMode(rawValue: 0o100755)
    /// A symbolic link.
    public static let symbolicLink = FileMode(rawValue: 0o120000)
    /// A submodule commit reference.
    public static let gitlink = FileMode(rawValue: 0o160000)

    /// The file-type bits (`0o170000` mask).
    public var fileType: UInt32 { rawValue & 0o170000 }

    /// True for regular files (executable or not).
    public var isRegularFile: Bool { fileType == 0o100000 }

    /// True when any execute bit is set.
    public var isExecutable: Bool { rawValue & 0o111 != 0 }

    /// The permission bits to give a file written to disk with this mode.
    public var permissions: UInt16 { isExecutable ? 0o755 : 0o644 }

    /// The six-digit octal form git writes, e.g. `100644`.
    public var description: String {
        let digits = String(rawValue, radix: 8)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
