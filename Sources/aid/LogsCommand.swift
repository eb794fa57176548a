import ArgumentParser
import Daemon
import Foundation

struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print the daemon's log.")

    @Option(name: [.customShort("n"), .long], help: "How many of the last lines to print.")
    var lines = 50

    @Flag(name: .shortAndLong, help: "Keep printing lines as they are written.")
    var follow = false

    func run() throws {
        let path = CLI.paths.logFile
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CLI.fail("no log at \(path) yet; the daemon writes it when it starts (`aid daemon`)")
        }
        let data = handle.readDataToEndOfFile()
        let text = String(decoding: data, as: UTF8.self)
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        let tail = all.suffix(lines + (text.hasSuffix("\n") ? 1 : 0))
        print(tail.joined(separator: "\n"), terminator: "")
        guard follow else { return }
        var offset = UInt64(data.count)
        while true {
            // The log is rotated by renaming: start again from the new file when it shrinks.
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
            if size < offset { offset = 0 }
            if size > offset, let reader = FileHandle(forReadingAtPath: path) {
                try reader.seek(toOffset: offset)
                let chunk = reader.readDataToEndOfFile()
                offset += UInt64(chunk.count)
                FileHandle.standardOutput.write(chunk)
                try? reader.close()
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }
}
