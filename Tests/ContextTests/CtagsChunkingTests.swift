import Foundation
import Testing

@testable import Context

/// One small realistic file per ctags language, with the spans expected.
private struct Sample {
    var path: String
    var text: String
    /// (qualified name, first line, last line) that must be found.
    var spans: [(String, Int, Int)]
    /// A declaration that must get a chunk starting at this line (doc comment included).
    var chunk: (String, Int)
}

private let samples: [Sample] = [
    Sample(path: "app/greeter.py", text: """
        import os
        from .util import helper


        class Greeter:
            \"\"\"Says hi { not a brace }.\"\"\"

            def __init__(self, name):
                self.name = name

            # Greets.
            @property
            def greeting(self):
                return f"hi {self.name}"


        def main():
            g = Greeter("x")
            print(g.greeting)
        """, spans: [("Greeter", 5, 14), ("Greeter.__init__", 8, 9), ("Greeter.greeting", 13, 14), ("main", 17, 19)],
        chunk: ("main", 17)),
    Sample(path: "src/point.rs", text: """
        use crate::util::helper;
        mod parser;

        /// A point.
        #[derive(Debug, Clone)]
        pub struct Point { x: i32, y: i32 }

        impl Point {
            pub fn new(x: i32, y: i32) -> Self {
                let s = "}";
                let c = '{';
                Point { x, y }
            }

            fn label<'a>(&'a self) -> &'a str {
                r#"raw } string"#
            }
        }

        trait Shape { fn area(&self) -> f64; }

        fn main() {
            let p = Point::new(1, 2);
        }
        """, spans: [("Point", 8, 18), ("Point.new", 9, 13), ("Point.label", 15, 17), ("Shape", 20, 20), ("main", 22, 24)],
        chunk: ("Point", 4)),
    Sample(path: "server/server.go", text: """
        package server

        import (
        \t"fmt"
        \t"example.com/m/util"
        )

        // Server serves.
        type Server struct {
        \tName string
        }

        // Start starts it.
        func (s *Server) Start() error {
        \tfmt.Println(s.Name, "}")
        \treturn nil
        }

        func main() {
        \tutil.Help()
        }
        """, spans: [("Server", 9, 11), ("Start", 14, 17), ("main", 19, 21)], chunk: ("Start", 13)),
    Sample(path: "lib/add.c", text: """
        #include <stdio.h>
        #include "util.h"

        struct point { int x; int y; };

        /* Adds two numbers. */
        static int add(int a, int b) {
            const char *s = "}";
            return a + b;
        }

        int main(void) {
            printf("%d\\n", add(1, 2));
            return 0;
        }
        """, spans: [("add", 7, 10), ("main", 12, 15)], chunk: ("add", 6)),
    Sample(path: "lib/shape.cpp", text: """
        #include "shape.hpp"

        namespace geo {
        class Shape {
        public:
            virtual double area() const = 0;
        };

        class Circle : public Shape {
        public:
            double area() const override {
                return 3.14 * r * r;
            }
        private:
            double r;
        };
        }

        int main() { return 0; }
        """, spans: [("geo", 3, 17), ("Circle", 9, 16), ("main", 19, 19)], chunk: ("geo", 3)),
    Sample(path: "web/runner.ts", text: """
        import { helper } from './util';

        export interface Options {
          verbose: boolean;
        }

        /** Runs things. */
        export class Runner {
          constructor(private opts: Options) {}

          run(): void {
            const t = `template ${ { a: 1 }.a } }`;
            helper(this.opts);
          }
        }

        export function start(o: Options) {
          return new Runner(o).run();
        }
        """, spans: [("Options", 3, 5), ("Runner", 8, 15), ("Runner.run", 11, 14), ("start", 17, 19)],
        chunk: ("Runner", 7)),
    Sample(path: "web/widget.js", text: """
        const util = require('./util');

        class Widget {
          render() {
            return util.draw(this, '}');
          }
        }

        function make() {
          return new Widget();
        }
        module.exports = { make };
        """, spans: [("Widget", 3, 7), ("Widget.render", 4, 6), ("make", 9, 11)], chunk: ("make", 9)),
    Sample(path: "src/main/java/com/example/Counter.java", text: """
        package com.example;

        import com.example.util.Helper;

        /** Counts. */
        public class Counter {
            private int count;

            public Counter() { count = 0; }

            @Override
            public String toString() {
                return "Counter{" + count + "}";
            }

            interface Listener { void on(); }
        }
        """, spans: [("Counter", 6, 17), ("Counter.toString", 12, 14)], chunk: ("Counter", 5)),
    Sample(path: "lib/shapes.ml", text: """
        open Util

        type shape = Circle of float | Square of float

        (* Area of a shape. *)
        let area = function
          | Circle r -> 3.14 *. r *. r
          | Square s -> s *. s

        module Stack = struct
          type t = int list
          let push x s = x :: s
        end

        let () = print_float (area (Circle 1.0))
        """, spans: [("shape", 3, 3), ("area", 6, 8), ("Stack", 10, 13), ("Stack.push", 12, 12)], chunk: ("area", 5)),
]

@Suite("ctags chunking", .enabled(if: CtagsRunner.unavailableReason == nil, "\(CtagsRunner.unavailableReason ?? "")"))
struct CtagsChunkingTests {
    @Test(arguments: samples.map(\.path))
    func declarationsAndChunks(path: String) throws {
        let sample = try #require(samples.first { $0.path == path })
        let analysis = try analyzeSource(sample.text, path: sample.path)
        for (name, line, endLine) in sample.spans {
            let parts = name.split(separator: ".")
            let symbol = analysis.symbols.first {
                $0.name == String(parts.last!) && $0.line == line
                    && (parts.count == 1 || $0.container?.hasSuffix(String(parts[parts.count - 2])) == true)
            }
            #expect(symbol != nil, "\(path): \(name) at line \(line) not found in \(analysis.symbols.map { "\($0.qualifiedName)@\($0.line)" })")
            #expect(symbol?.endLine == endLine, "\(path): \(name) should end at \(endLine)")
        }
        #expect(analysis.chunksAreOrderedAndDisjoint())
        let (name, start) = sample.chunk
        let chunk = analysis.chunks.first { $0.symbol?.split(separator: ".").last.map(String.init) == name }
        #expect(chunk?.startLine == start, "\(path): chunk for \(name) in \(analysis.chunks)")
    }

    @Test(.enabled(if: InteractiveCtags.unavailableReason == nil, "\(InteractiveCtags.unavailableReason ?? "")"))
    func interactiveSessionAgreesWithBatchRuns() throws {
        let workspace = try TemporaryWorkspace()
        defer { workspace.remove() }
        for sample in samples { try workspace.write(sample.path, sample.text) }
        let batch = try CtagsRunner().tags(for: samples.map(\.path), root: workspace.root)
        let session = InteractiveCtags(executable: "ctags", root: workspace.root)
        for round in 0..<2 {
            for sample in samples {
                let tags = try session.tags(path: sample.path, data: Data(sample.text.utf8))
                #expect(tags.map(\.symbol) == batch[sample.path]?.map(\.symbol), "\(sample.path), round \(round)")
            }
        }
    }

    @Test func changedRustFileIsRetaggedOnUpdate() async throws {
        let sample = samples.first { $0.path.hasSuffix(".rs") }!
        let indexed = try await IndexedWorkspace(files: [sample.path: sample.text])
        defer { indexed.remove() }
        #expect(indexed.index.outline(of: sample.path)?.contains { $0.name == "Point" } == true)
        try indexed.workspace.write(sample.path, "pub struct Vector { x: f64 }\n\nfn length(v: &Vector) -> f64 {\n    v.x\n}\n")
        try await indexed.index.update(changedPaths: [sample.path])
        let outline = indexed.index.outline(of: sample.path) ?? []
        #expect(outline.map(\.name).contains("Vector") && !outline.map(\.name).contains("Point"))
        #expect(outline.first { $0.name == "length" }?.endLine == 5)
    }

    @Test func batchRunCoversManyFilesAtOnce() throws {
        let workspace = try TemporaryWorkspace()
        defer { workspace.remove() }
        for sample in samples { try workspace.write(sample.path, sample.text) }
        let tags = try CtagsRunner().tags(for: samples.map(\.path), root: workspace.root)
        #expect(Set(tags.keys) == Set(samples.map(\.path)))
    }
}
