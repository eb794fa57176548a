import Foundation

/// Finds out, before running a shell command, whether the program it starts exists, so that a
/// missing tool gives a clear message instead of the shell's exit status 127.
enum CommandLookup {
    /// Shell keywords and built-ins: a command starting with one of these is not checked.
    private static let shellWords: Set<String> = [
        "!", "{", "(", "[", "[[", ".", ":", "alias", "bg", "break", "case", "cd", "command", "continue", "echo", "eval",
        "exec", "exit", "export", "false", "fg", "for", "if", "kill", "printf", "pwd", "read", "return", "set", "shift",
        "test", "time", "trap", "true", "type", "ulimit", "umask", "unset", "until", "wait", "while",
    ]

    /// The program `command` starts (after leading `NAME=value` assignments), nil when it starts
    /// with shell syntax that this check does not follow.
    static func program(of command: String) -> String? {
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        for word in words {
            if let equals = word.firstIndex(of: "="), !word[..<equals].isEmpty,
               word[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                continue
            }
            let text = String(word)
            if shellWords.contains(text) || text.contains(where: { "\"'`$()<>|;&*?{}\\".contains($0) }) { return nil }
            return text
        }
        return nil
    }

    /// The name of the program `command` starts when it cannot be found: not on `PATH` (as
    /// given in `environment`), or, for a path, not an executable file relative to `directory`.
    static func missingProgram(in command: String, directory: String, environment: [String: String]) -> String? {
        guard let program = program(of: command) else { return nil }
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : directory + "/" + program
            return FileManager.default.isExecutableFile(atPath: path) ? nil : program
        }
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for entry in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let base = entry.isEmpty ? directory : (entry.hasPrefix("/") ? String(entry) : directory + "/" + entry)
            if FileManager.default.isExecutableFile(atPath: base + "/" + program) { return nil }
        }
        return program
    }

    /// The program a shell said it could not find (`sh: 1: x: not found`,
    /// `bash: x: command not found`), if the output says so.
    static func notFoundProgram(inShellOutput output: String) -> String? {
        for line in output.split(separator: "\n").reversed() {
            let text = line.trimmingCharacters(in: .whitespaces)
            for suffix in [": command not found", ": not found", ": No such file or directory"] where text.hasSuffix(suffix) {
                let head = text.dropLast(suffix.count)
                guard let name = head.split(separator: ":").last?.trimmingCharacters(in: .whitespaces), !name.isEmpty
                else { continue }
                return name
            }
        }
        return nil
    }
}
