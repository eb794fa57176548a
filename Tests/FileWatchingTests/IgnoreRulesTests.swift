import Foundation
import Testing

@testable import FileWatching

@Suite("Ignore rules")
struct IgnoreRulesTests {
    /// Matches `path` against a single pattern line (relative to the ignore file's directory).
    func matches(_ line: String, _ path: String, directory: Bool = false) -> Bool {
        guard let pattern = IgnorePattern(line: line) else { return false }
        return pattern.matches(path.split(separator: "/")[...], isDirectory: directory)
    }

    @Test func parsing() {
        #expect(IgnorePattern(line: "") == nil)
        #expect(IgnorePattern(line: "# comment") == nil)
        #expect(IgnorePattern(line: "\\#file")?.matches(["#file"], isDirectory: false) == true)
        #expect(IgnorePattern(line: "!keep")?.isNegated == true)
        #expect(IgnorePattern(line: "\\!bang")?.isNegated == false)
        #expect(IgnorePattern(line: "build/")?.isDirectoryOnly == true)
        #expect(IgnorePattern(line: "build/")?.isAnchored == false)
        #expect(IgnorePattern(line: "/build")?.isAnchored == true)
        #expect(IgnorePattern(line: "doc/frotz")?.isAnchored == true)
        #expect(IgnorePattern(line: "trailing   ")?.matches(["trailing"], isDirectory: false) == true)
        #expect(IgnorePattern(line: "space\\ ")?.matches(["space "], isDirectory: false) == true)
    }

    @Test func unanchoredNamesMatchAtAnyDepth() {
        #expect(matches("*.o", "main.o"))
        #expect(matches("*.o", "a/b/main.o"))
        #expect(!matches("*.o", "main.c"))
        #expect(matches("build/", "x/build", directory: true))
        #expect(!matches("build/", "x/build", directory: false))
    }

    @Test func anchoredPatterns() {
        #expect(matches("/out", "out", directory: true))
        #expect(!matches("/out", "lib/out", directory: true))
        #expect(matches("doc/*.txt", "doc/a.txt"))
        #expect(!matches("doc/*.txt", "doc/sub/a.txt"))
        #expect(!matches("doc/*.txt", "x/doc/a.txt"))
    }

    @Test func doubleStars() {
        #expect(matches("**/foo", "foo"))
        #expect(matches("**/foo", "a/b/foo"))
        #expect(matches("**/foo/bar", "x/foo/bar"))
        #expect(matches("abc/**", "abc/x/y"))
        #expect(!matches("abc/**", "abc", directory: true))
        #expect(matches("a/**/b", "a/b"))
        #expect(matches("a/**/b", "a/x/y/b"))
        #expect(!matches("a/**/b", "a/x/c"))
        #expect(matches("a**b", "aXXb")) // not a `**` segment: acts like `*`
    }

    @Test func wildcardsAndClasses() {
        #expect(matches("file?.txt", "file1.txt"))
        #expect(!matches("file?.txt", "file10.txt"))
        #expect(matches("*.[oa]", "lib.a"))
        #expect(!matches("*.[oa]", "lib.so"))
        #expect(matches("v[0-9].log", "v7.log"))
        #expect(!matches("v[!0-9].log", "v7.log"))
        #expect(matches("v[^0-9].log", "vx.log"))
        #expect(matches("[[:upper:]]*", "Readme"))
        #expect(!matches("[[:upper:]]*", "readme"))
        #expect(matches("[]]x", "]x"))
        #expect(matches("\\*literal", "*literal"))
        #expect(!matches("\\*literal", "xliteral"))
        #expect(!matches("a*", "a/b")) // `*` never crosses `/` in an anchored match
    }

    @Test func matcherCombinesFilesByDepthAndPrecedence() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("aid-ignore-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func write(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write(".gitignore", "*.log\nvendor/\n/dist\n")
        try write(".ignore", "!important.log\n")
        try write(".aidignore", "private/\n")
        try write("app/.gitignore", "!debug.log\n*.gen.swift\n")
        try write("app/deep/.gitignore", "!*.gen.swift\n")
        try write(".git/info/exclude", "local-notes.md\n")
        let matcher = GitIgnoreMatcher(root: root.path)

        #expect(matcher.isIgnored(relativePath: "server.log", isDirectory: false))
        #expect(!matcher.isIgnored(relativePath: "important.log", isDirectory: false)) // .ignore beats .gitignore
        #expect(!matcher.isIgnored(relativePath: "app/debug.log", isDirectory: false)) // deeper file wins
        #expect(matcher.isIgnored(relativePath: "app/other.log", isDirectory: false))
        #expect(matcher.isIgnored(relativePath: "app/Model.gen.swift", isDirectory: false))
        #expect(!matcher.isIgnored(relativePath: "app/deep/Model.gen.swift", isDirectory: false))
        #expect(matcher.isIgnored(relativePath: "vendor", isDirectory: true))
        #expect(matcher.isIgnored(relativePath: "lib/vendor/x/y.c", isDirectory: false)) // inside ignored dir
        #expect(matcher.isIgnored(relativePath: "dist", isDirectory: true))
        #expect(!matcher.isIgnored(relativePath: "app/dist", isDirectory: true))
        #expect(matcher.isIgnored(relativePath: "private/key.pem", isDirectory: false))
        #expect(matcher.isIgnored(relativePath: "local-notes.md", isDirectory: false))
        #expect(!matcher.isIgnored(relativePath: "app/main.swift", isDirectory: false))

        // Nothing inside an ignored directory can be re-included.
        try write("vendor/.gitignore", "!*\n")
        matcher.ignoreFileChanged(inDirectory: "vendor")
        #expect(matcher.isIgnored(relativePath: "vendor/lib.c", isDirectory: false))

        // Cached rules are dropped when told that an ignore file changed.
        try write("app/.gitignore", "*.txt\n")
        #expect(!matcher.isIgnored(relativePath: "app/notes.txt", isDirectory: false))
        matcher.ignoreFileChanged(inDirectory: "app")
        #expect(matcher.isIgnored(relativePath: "app/notes.txt", isDirectory: false))
    }
}
