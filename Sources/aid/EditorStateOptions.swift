import AidProtocol
import ArgumentParser
import Foundation

/// `--file F --line N`: where the request is about, as an editor would say.
struct EditorStateOptions: ParsableArguments {
    @Option(name: .long, help: "The file the request is about (relative to the current directory).")
    var file: String?

    @Option(name: .long, help: "The 1-based line of --file the request is about.")
    var line: Int?

    func validate() throws {
        if let line, line < 1 { throw ValidationError("--line counts from 1, got \(line)") }
        if line != nil, file == nil { throw ValidationError("--line needs --file") }
    }

    /// `--file` as an absolute path.
    var absoluteFile: String? {
        file.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
    }

    /// `--line` as an editor position (0-based).
    var cursor: EditorPosition? {
        line.map { EditorPosition(line: $0 - 1, character: 0) }
    }
}
