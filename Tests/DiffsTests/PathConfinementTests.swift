import Foundation
import Testing
@testable import Diffs

@Suite("Path confinement")
struct PathConfinementTests {
    static func refusal(_ path: String, in confinement: PathConfinement) -> PathConfinementError.Reason? {
        do {
            _ = try confinement.confine(path)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func plainRelativePathsAreConfined() throws {
        let workspace = try TemporaryDirectory()
        let confinement = try PathConfinement(root: workspace.url)
        let url = try confinement.confine("Sources/App/main.swift")
        #expect(url.path == confinement.resolvedRoot + "/Sources/App/main.swift")
        #expect(try confinement.relativePath("./a//b/../c.txt") == "a/c.txt")
    }

    @Test func escapesAreRefused() throws {
        let workspace = try TemporaryDirectory()
        let confinement = try PathConfinement(root: workspace.url)
        #expect(Self.refusal("../x", in: confinement) == .escapesWorkspace)
        #expect(Self.refusal("a/../../x", in: confinement) == .escapesWorkspace)
        #expect(Self.refusal("/etc/passwd", in: confinement) == .absolute)
        #expect(Self.refusal("~/.ssh/id_rsa", in: confinement) == .absolute)
        #expect(Self.refusal("C:\\Windows\\x", in: confinement) == .absolute)
        #expect(Self.refusal("", in: confinement) == .empty)
        #expect(Self.refusal("a\0b", in: confinement) == .containsNUL)
        #expect(Self.refusal("a/..", in: confinement) == .refersToWorkspaceRoot)
    }

    @Test func gitDirectoryIsRefused() throws {
        let workspace = try TemporaryDirectory()
        let confinement = try PathConfinement(root: workspace.url)
        #expect(Self.refusal(".git/config", in: confinement) == .insideGitDirectory)
        #expect(Self.refusal("vendor/lib/.git/HEAD", in: confinement) == .insideGitDirectory)
        #expect(Self.refusal(".GIT/hooks/pre-commit", in: confinement) == .insideGitDirectory)
        #expect(Self.refusal(".gitignore", in: confinement) == nil)
    }

    @Test func symlinkPointingOutsideIsRefused() throws {
        let workspace = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(
            at: workspace.url.appendingPathComponent("escape"), withDestinationURL: outside.url)
        try FileManager.default.createSymbolicLink(
            atPath: workspace.url.appendingPathComponent("passwd").path, withDestinationPath: "/etc/passwd")
        let confinement = try PathConfinement(root: workspace.url)
        guard case .symlinkEscape(let link, _) = Self.refusal("escape/x.txt", in: confinement) else {
            Issue.record("a directory symlink to outside the workspace was accepted")
            return
        }
        #expect(link == "escape")
        guard case .symlinkEscape = Self.refusal("passwd", in: confinement) else {
            Issue.record("a file symlink to /etc/passwd was accepted")
            return
        }
        do {
            _ = try confinement.confine("escape/deeper/file")
            Issue.record("path through an escaping symlink was accepted")
        } catch {
            #expect(error.description.contains("escape"))
            #expect(error.description.contains("outside the workspace"))
        }
    }

    @Test func danglingSymlinkToOutsideIsRefused() throws {
        let workspace = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(
            atPath: workspace.url.appendingPathComponent("dangling").path, withDestinationPath: "/nonexistent/dir/file")
        let confinement = try PathConfinement(root: workspace.url)
        guard case .symlinkEscape = Self.refusal("dangling", in: confinement) else {
            Issue.record("a dangling symlink to outside was accepted")
            return
        }
    }

    @Test func symlinkInsideTheWorkspaceIsAllowed() throws {
        let workspace = try TemporaryDirectory()
        try workspace.write("real\n", to: "real/file.txt")
        try FileManager.default.createSymbolicLink(
            atPath: workspace.url.appendingPathComponent("alias").path, withDestinationPath: "real")
        try FileManager.default.createSymbolicLink(
            atPath: workspace.url.appendingPathComponent("gitlink").path, withDestinationPath: ".git")
        try FileManager.default.createDirectory(
            at: workspace.url.appendingPathComponent(".git"), withIntermediateDirectories: true)
        let confinement = try PathConfinement(root: workspace.url)
        #expect(Self.refusal("alias/file.txt", in: confinement) == nil)
        #expect(Self.refusal("gitlink/config", in: confinement) == .insideGitDirectory)
    }

    @Test func missingRootIsAnError() {
        #expect {
            try PathConfinement(root: URL(fileURLWithPath: "/nonexistent/workspace"))
        } throws: { error in
            (error as? PathConfinementError)?.reason == .workspaceRootMissing
        }
    }
}
