import Foundation
import Testing

@testable import Context

/// A polyglot workspace whose files import each other.
let polyglotFiles: [String: String] = retrievalFiles.merging([
    "Sources/App/App.swift": "import Net\nimport Foundation\n\nfunc boot() { let r = RequestRouter(); Logger.shared.info(\"x\") }\n",
    "pkg/__init__.py": "",
    "pkg/app.py": "from pkg.util import helper\nfrom . import models\nimport pkg.models as m\n\nhelper(models.User())\n",
    "pkg/util.py": "def helper(x):\n    return x\n",
    "pkg/models.py": "class User:\n    pass\n",
    "web/main.ts": "import { parse } from './lib/parser';\nimport React from 'react';\nexport const x = parse('a');\n",
    "web/lib/parser.ts": "export function parse(s: string) { return s; }\n",
    "web/old.js": "const y = require('./lib/legacy');\nmodule.exports = y;\n",
    "web/lib/legacy/index.js": "module.exports = {};\n",
    "native/main.c": "#include \"util.h\"\n#include <config.h>\n#include <stdio.h>\nint main(void) { return util(); }\n",
    "native/util.h": "int util(void);\n",
    "include/config.h": "#define CONFIG 1\n",
    "rs/src/main.rs": "mod parser;\nuse crate::net::client::Client;\nfn main() { let c = Client::new(); }\n",
    "rs/src/parser.rs": "pub fn parse() {}\n",
    "rs/src/net/client.rs": "pub struct Client;\nimpl Client { pub fn new() -> Self { Client } }\n",
    "go.mod": "module example.com/m\n\ngo 1.22\n",
    "cmd/main.go": "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/m/internal/store\"\n)\n\nfunc main() { fmt.Println(store.Open()) }\n",
    "internal/store/store.go": "package store\n\nfunc Open() int { return 1 }\n",
    "internal/store/store_test.go": "package store\n",
    "src/main/java/com/ex/App.java": "package com.ex;\n\nimport com.ex.util.Helper;\n\npublic class App { void run() { Helper.go(); } }\n",
    "src/main/java/com/ex/util/Helper.java": "package com.ex.util;\n\npublic class Helper { public static void go() {} }\n",
    "bin/main.ml": "open Shapes\nlet () = print_float (Geometry.area 1.0)\n",
    "lib/shapes.ml": "type shape = Circle of float\n",
    "lib/geometry.mli": "val area : float -> float\n",
]) { _, new in new }

@Suite("Related files")
struct RelatedFilesTests {
    @Test(arguments: [
        ("pkg/app.py", ["pkg/util.py", "pkg/models.py"]),
        ("web/main.ts", ["web/lib/parser.ts"]),
        ("web/old.js", ["web/lib/legacy/index.js"]),
        ("native/main.c", ["native/util.h", "include/config.h"]),
        ("rs/src/main.rs", ["rs/src/parser.rs", "rs/src/net/client.rs"]),
        ("cmd/main.go", ["internal/store/store.go"]),
        ("src/main/java/com/ex/App.java", ["src/main/java/com/ex/util/Helper.java"]),
        ("bin/main.ml", ["lib/shapes.ml", "lib/geometry.mli"]),
        ("Sources/App/App.swift", ["Sources/Net/RequestRouter.swift", "Sources/Util/Logger.swift"]),
    ])
    func importsResolveToWorkspaceFiles(current: String, expected: [String]) async throws {
        let indexed = try await IndexedWorkspace(files: polyglotFiles)
        defer { indexed.remove() }
        let provider = RelatedFilesProvider(index: indexed.index, tokenCounter: ApproximateTokenCounter())
        let related = provider.relatedFiles(of: current, text: polyglotFiles[current]!).map(\.path)
        for path in expected {
            #expect(related.contains(path), "\(current) should relate to \(path); got \(related)")
        }
        #expect(!related.contains("internal/store/store_test.go"))
        #expect(!related.contains(current))
    }

    @Test func itemsCarryTextOrOutlineAndReasons() async throws {
        let indexed = try await IndexedWorkspace(files: polyglotFiles)
        defer { indexed.remove() }
        let provider = RelatedFilesProvider(index: indexed.index, tokenCounter: ApproximateTokenCounter(), fullTextTokens: 20)
        let items = try await provider.items(for: ContextRequest(prompt: "x", currentFile: "Sources/App/App.swift"))
        let router = try #require(items.first { $0.path == "Sources/Net/RequestRouter.swift" })
        #expect(router.reason.contains("module Net"))
        #expect(router.text.contains("public final class RequestRouter  // line 2"), "large file shown as outline")
        #expect(router.stability == .stable)
        let logger = try #require(items.first { $0.path == "Sources/Util/Logger.swift" })
        #expect(logger.reason.contains("`Logger`"))
    }
}
