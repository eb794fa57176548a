/// Keywords of each language, left out of reference counts (a Swift
/// `internal` says nothing about a C++ namespace called `internal`).
enum ReservedWords {
    private static let words: [Language: String] = [
        .swift: """
            associatedtype class deinit enum extension fileprivate func import init inout internal let open operator \
            private precedencegroup protocol public rethrows static struct subscript typealias var break case catch \
            continue default defer do else fallthrough for guard if in repeat return throw switch where while as Any \
            false is nil self Self super throws true try await async actor nonisolated isolated some any mutating \
            nonmutating override final lazy weak unowned indirect convenience required optional dynamic get set willSet \
            didSet consuming borrowing sending package macro
            """,
        .c: """
            auto break case char const continue default do double else enum extern float for goto if inline int long \
            register restrict return short signed sizeof static struct switch typedef union unsigned void volatile \
            while bool true false NULL
            """,
        .cpp: """
            alignas alignof and asm auto bool break case catch char class const constexpr const_cast continue decltype \
            default delete do double dynamic_cast else enum explicit export extern false float for friend goto if \
            inline int long mutable namespace new noexcept not nullptr operator or private protected public register \
            reinterpret_cast return short signed sizeof static static_assert static_cast struct switch template this \
            throw true try typedef typeid typename union unsigned using virtual void volatile while override final
            """,
        .rust: """
            as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod \
            move mut pub ref return self Self static struct super trait true type unsafe use where while
            """,
        .go: """
            break case chan const continue default defer else fallthrough for func go goto if import interface map \
            package range return select struct switch type var true false nil
            """,
        .java: """
            abstract assert boolean break byte case catch char class const continue default do double else enum \
            extends final finally float for goto if implements import instanceof int interface long native new package \
            private protected public return short static strictfp super switch synchronized this throw throws \
            transient try void volatile while true false null var record
            """,
        .typescript: """
            break case catch class const continue debugger default delete do else enum export extends false finally \
            for function if import in instanceof new null return super switch this throw true try typeof var void \
            while with let static yield async await implements interface package private protected public type \
            declare readonly abstract as any boolean number string undefined never unknown keyof
            """,
        .python: """
            False None True and as assert async await break class continue def del elif else except finally for \
            from global if import in is lambda nonlocal not or pass raise return try while with yield self
            """,
        .ocaml: """
            and as assert begin class constraint do done downto else end exception external false for fun function \
            functor if in include inherit initializer lazy let match method module mutable new object of open or \
            private rec sig struct then to true try type val virtual when while with
            """,
    ]

    private static let tables: [Language: ByteStringTable] = {
        var tables: [Language: ByteStringTable] = [:]
        for (language, list) in words {
            var table = ByteStringTable(capacity: 128)
            for word in list.split(whereSeparator: { $0 == " " || $0 == "\n" }) { table.insert(String(word)) }
            tables[language] = table
        }
        tables[.javascript] = tables[.typescript]
        return tables
    }()

    /// The keywords of `language` (empty for plain text).
    static func table(for language: Language) -> ByteStringTable {
        tables[language] ?? ByteStringTable(capacity: 1)
    }
}
