/// A model's answer as lines, `"\r\n"` normalized to `"\n"`.
struct OutputLines {
    /// The lines, without terminators.
    let lines: [String]
    /// True when `.partial` parsing dropped an unterminated last line.
    let droppedPartialLine: Bool
    /// True when the (kept) last line has no terminator: in a final answer that
    /// ends inside an edit, it was probably cut mid-line.
    let lastLineUnterminated: Bool

    init(_ text: String, mode: ParseMode) {
        var lines = LineSplitter.lines(text)
        let unterminated = !text.isEmpty && text.utf8.last != 0x0A
        if mode == .partial, unterminated, !lines.isEmpty {
            lines.removeLast()
            droppedPartialLine = true
            lastLineUnterminated = false
        } else {
            droppedPartialLine = false
            lastLineUnterminated = unterminated
        }
        self.lines = lines
    }
}
