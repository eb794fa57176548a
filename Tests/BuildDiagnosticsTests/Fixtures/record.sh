#!/usr/bin/env bash
# Regenerates the compiler-output fixtures used by BuildDiagnosticsTests.
#
# Every section writes a small, deliberately broken project under $ROOT/<name>,
# runs the real tool inside it and stores the tool's combined stdout+stderr
# verbatim as <name>-<case>.txt next to this script. Tests parse those files
# with workspaceRoot = $ROOT/<name>, so keep ROOT at its default when
# re-recording (absolute paths in the output embed it). The first line of
# each tool's version output is kept in VERSIONS.txt. Nothing is downloaded:
# cargo runs --offline and go with GOPROXY=off (the projects have no deps).
#
# Usage: Tests/BuildDiagnosticsTests/Fixtures/record.sh [section...]
#   sections: swift gcc clang make cmake cargo go tsc dune generic (default: all)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${AID_FIXTURE_ROOT:-/tmp/aid-diag-fixtures}
SECTIONS=${*:-swift gcc clang make cmake cargo go tsc dune generic}
mkdir -p "$ROOT"

# record NAME CMD... : run CMD (in the current directory), keep its output.
record() {
    local name=$1; shift
    "$@" > "$HERE/$name" 2>&1
    echo "recorded $name (exit $?)"
}
have() { command -v "$1" > /dev/null 2>&1 || { echo "skipping: $1 not found" >&2; return 1; }; }
fresh() { rm -rf "${ROOT:?}/$1"; mkdir -p "$ROOT/$1"; cd "$ROOT/$1" || exit 1; }
version() { echo "$1: $("${@:2}" 2>&1 | head -n 1)" >> "$HERE/VERSIONS.txt.new"; }
: > "$HERE/VERSIONS.txt.new"

# ---------------------------------------------------------------- swift
section_swift() {
    have swiftc || return
    version swiftc swiftc --version
    fresh swift
    cat > Broken.swift <<'SWIFT'
struct Point {
    var x: Int
    var y: Int
}

func area(_ p: Point) -> Int {
    return p.x * p.y
}

func describe() -> String {
    let unused = 42
    var p = Point(x: 1, y: 2)
    return area(p)
}

func describe() -> String { "again" }

let q = Point(x: "one", y: 2)
SWIFT
    record swift-typecheck.txt swiftc -typecheck Broken.swift
    record swift-typecheck-llvm.txt swiftc -typecheck -diagnostic-style llvm Broken.swift

    # Warnings only, including a multi-line message and diagnostic group tags.
    cat > Warnings.swift <<'SWIFT'
import Foundation

@available(*, deprecated, message: "use modern()")
func legacy() -> Int { 1 }

func compute() -> Int {
    let unused = 42
    var total = legacy()
    #warning("first line\nsecond line")
    return total
}
SWIFT
    record swift-warnings.txt swiftc -typecheck Warnings.swift
    record swift-warnings-llvm.txt swiftc -typecheck -diagnostic-style llvm Warnings.swift

    # A note located in another file than its error.
    mkdir -p Sources
    printf 'protocol Runner {\n    func run()\n}\n' > Sources/Runner.swift
    printf '\nstruct Job: Runner {}\n' > Sources/Job.swift
    record swift-crossfile.txt swiftc -typecheck Sources/Runner.swift Sources/Job.swift

    fresh swiftpm
    mkdir -p Sources/Demo
    cat > Package.swift <<'SWIFT'
// swift-tools-version: 5.9
import PackageDescription
let package = Package(name: "Demo", targets: [.executableTarget(name: "Demo")])
SWIFT
    cat > Sources/Demo/Model.swift <<'SWIFT'
protocol Shape {
    func area() -> Double
}

struct Square: Shape {
    var side: Double
}
SWIFT
    cat > Sources/Demo/main.swift <<'SWIFT'
let s = Square(side: 2)
let total: Int = s.area()
print(totl)
SWIFT
    record swift-build.txt swift build --disable-sandbox
}

# ---------------------------------------------------------------- C/C++
write_c_project() {
    mkdir -p include
    cat > include/util.h <<'C'
#pragma once
static inline int twice(int v) { return v * 2 }
int helper(int a);
C
    cat > main.c <<'C'
#include <stdio.h>
#include "include/util.h"

int helper(long a);

int main(void) {
    int unused = 3;
    printf("%d\n", "str");
    return undefined_fn(1);
}
C
    cat > fatal.c <<'C'
#include "missing.h"
int f(void) { return 0; }
C
    # Messages that span several lines.
    cat > multiline.c <<'C'
_Static_assert(0, "size must be 4\nsee layout.h");
#pragma GCC warning "first\nsecond"
int x;
C
    cat > vec.cpp <<'C'
#include <vector>
#include <string>

template <typename T>
T twice(T value) { return value * 2; }

int main() {
    std::vector<int> v;
    v.push_back(std::string("x"));
    std::string s = twice(std::string("a"));
    return 0;
}
C
}

section_gcc() {
    have gcc || return
    version gcc gcc --version
    fresh gcc
    write_c_project
    record gcc-main.txt gcc -Wall -c main.c
    record gcc-fatal.txt gcc -c fatal.c
    record gcc-cpp.txt g++ -c vec.cpp
    record gcc-multiline.txt gcc -c multiline.c
}

section_clang() {
    have clang || return
    version clang clang --version
    fresh clang
    write_c_project
    record clang-main.txt clang -Wall -c main.c
    record clang-fatal.txt clang -c fatal.c
    record clang-cpp.txt clang++ -c vec.cpp
    record clang-multiline.txt clang -c multiline.c
}

section_make() {
    have make && have gcc || return
    version make make --version
    fresh make
    mkdir -p src
    printf 'all:\n\t$(MAKE) -C src\n' > Makefile
    printf 'CFLAGS = -Wall\napp: app.o\n' > src/Makefile
    cat > src/app.c <<'C'
int main(void) {
    int count = "three";
    return count
}
C
    record make-gcc.txt make
}

section_cmake() {
    have cmake && have gcc || return
    version cmake cmake --version
    fresh cmake
    mkdir -p src
    cat > CMakeLists.txt <<'CM'
cmake_minimum_required(VERSION 3.13)
project(demo C)
add_executable(demo src/main.c)
target_compile_options(demo PRIVATE -Wall)
CM
    cat > src/main.c <<'C'
#include <stdlib.h>

int main(void) {
    int *p = malloc(4);
    return *p + missing;
}
C
    cmake -S . -B build > /dev/null 2>&1
    record cmake-build.txt cmake --build build
}

# ---------------------------------------------------------------- rust
section_cargo() {
    have cargo || return
    version rustc rustc --version
    version cargo cargo --version
    fresh cargo
    mkdir -p src
    cat > Cargo.toml <<'TOML'
[package]
name = "demo"
version = "0.1.0"
edition = "2021"
TOML
    cat > src/main.rs <<'RS'
mod util;

fn takes(s: String) -> usize {
    s.len()
}

fn main() {
    let unused = 5;
    let s = String::from("a");
    let n = takes(s);
    println!("{} {}", s, n);
    util::helper();
}
RS
    cat > src/util.rs <<'RS'
pub fn helper() {
    let mut list = vec![1, 2, 3];
    let first = &list[0];
    list.push(4);
    println!("{}", first);
}

fn never_called() {}
RS
    CARGO_TARGET_DIR="$ROOT/cargo/target" record cargo-check.txt cargo check --offline --message-format=json

    # A workspace whose member reports paths relative to the workspace root.
    fresh cargo-ws
    mkdir -p crates/core/src
    printf '[workspace]\nmembers = ["crates/core"]\nresolver = "2"\n' > Cargo.toml
    printf '[package]\nname = "core-lib"\nversion = "0.1.0"\nedition = "2021"\n' > crates/core/Cargo.toml
    cat > crates/core/src/lib.rs <<'RS'
pub fn parse(input: &str) -> u32 {
    input.parse::<u32>()
}
RS
    record cargo-workspace.txt cargo check --offline --message-format=json
}

# ---------------------------------------------------------------- go
section_go() {
    have go || return
    version go go version
    export GOPATH="$ROOT/.gopath" GOCACHE="$ROOT/.gocache" GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local
    fresh go
    mkdir -p pkg/shapes
    printf 'module example.com/demo\n\ngo 1.19\n' > go.mod
    cat > pkg/shapes/shapes.go <<'GO'
package shapes

func Count() int {
	return "many"
}
GO
    cat > main.go <<'GO'
package main

import "fmt"

type Shape interface {
	Area() float64
	Perimeter() float64
}

type Square struct{ Side float64 }

func (s Square) Area() float64 { return s.Side * s.Side }

func value() int { return 1 }

func value() int { return 2 }

func main() {
	var s Shape = Square{Side: 2}
	fmt.Println(s, undefinedName)
}
GO
    record go-build.txt go build ./...
    record go-vet-broken.txt go vet ./...

    fresh govet
    printf 'module example.com/vetdemo\n\ngo 1.19\n' > go.mod
    cat > main.go <<'GO'
package main

import "fmt"

func main() {
	name := "aid"
	fmt.Printf("%d items\n", name)
	x := 1
	x = x
}
GO
    record go-vet.txt go vet ./...
}

# ---------------------------------------------------------------- typescript
section_tsc() {
    have tsc || return
    version tsc tsc --version
    fresh tsc
    mkdir -p src
    cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2019" }, "include": ["src"] }
JSON
    cat > src/model.ts <<'TS'
export interface User {
  name: string;
  age: number;
}

export function greet(user: User): string {
  return "hi " + user.name;
}
TS
    cat > src/app.ts <<'TS'
import { User, greet } from "./model";

const u: User = { name: "x" };
const n: number = greet(u);
greet({ name: "y", age: "old" });
console.log(n, missing);
const format: (user: User) => number = greet;
TS
    cat > src/util.ts <<'TS'
export function total(values: number[]): number {
  return values.reduce((a, b) => a + b, "");
}
TS
    record tsc-default.txt tsc -p .
    record tsc-pretty-false.txt tsc -p . --pretty false
    record tsc-pretty.txt tsc -p . --pretty
}

# ---------------------------------------------------------------- ocaml/dune
section_dune() {
    have dune && have ocaml || return
    version ocaml ocaml -version
    version dune dune --version
    fresh dune
    mkdir -p bin lib legacy warn
    echo '(lang dune 2.9)' > dune-project
    # lib: type errors (build fails here; the other directories do not depend on it)
    echo '(library (name lib))' > lib/dune
    cat > lib/calc.ml <<'ML'
let add a b = a + b

let label : string =
  add 1 2
ML
    cat > lib/user.ml <<'ML'
let greet name = prnt_endline ("hi " ^ name)
ML
    # legacy: compiles, provides a deprecated value
    echo '(library (name legacy))' > legacy/dune
    cat > legacy/old.ml <<'ML'
let legacy () = 1
let modern () = 2
ML
    cat > legacy/old.mli <<'ML'
val legacy : unit -> int
[@@ocaml.deprecated "use Legacy.Old.modern instead"]

val modern : unit -> int
ML
    # bin: warnings that the default dev profile turns into errors
    echo '(executable (name main) (libraries legacy))' > bin/dune
    cat > bin/main.ml <<'ML'
let describe = function
  | Some 0 -> "zero"
  | Some _ ->
      "other"

let () =
  let spare = 2 in
  print_endline (describe (Some 1))
ML
    # warn: the same kinds of problems, reported as plain warnings and alerts
    # (warning 70, missing-mli, is located at "line 1:" without characters)
    cat > warn/dune <<'DUNE'
(executable (name tool) (libraries legacy)
 (flags (:standard -w +a-4-40-42-44 -warn-error -a)))
DUNE
    cat > warn/tool.ml <<'ML'
let () =
  let spare = 2 in
  print_int (Legacy.Old.legacy ())
ML
    # iface: an implementation that does not match its interface (the error
    # names two more locations inside its message)
    mkdir -p iface
    echo '(library (name iface))' > iface/dune
    echo 'val size : int -> string' > iface/shape.mli
    echo 'let size x = x + 1' > iface/shape.ml
    record dune-build.txt dune build --root .
}

# ---------------------------------------------------------------- generic
# A tool with plain `file:line: message` output and no dedicated parser.
section_generic() {
    have msgfmt || return
    version msgfmt msgfmt --version
    fresh generic
    mkdir -p po
    printf 'msgid "hello"\nmsgstr "bonjour"\n\nmsgid "hello"\nmsgstr "salut"\n\nmsgid "x\n' > po/fr.po
    record generic-msgfmt.txt msgfmt -c -o /dev/null po/fr.po
}

for s in $SECTIONS; do ( "section_$s" ); done

# Keep the version list sorted and de-duplicated across partial re-runs.
if [ -f "$HERE/VERSIONS.txt" ]; then cat "$HERE/VERSIONS.txt" >> "$HERE/VERSIONS.txt.new"; fi
sort -s -u -t: -k1,1 "$HERE/VERSIONS.txt.new" > "$HERE/VERSIONS.txt"
rm -f "$HERE/VERSIONS.txt.new"
