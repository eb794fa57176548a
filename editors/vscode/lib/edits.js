'use strict';
// Applying a proposal's edits to a text. The daemon's edits are whole-line ranges (character 0
// at both ends) against the text it saw, ascending and non-overlapping; they are applied last to
// first so earlier positions stay valid. Positions are 0-based; `character` counts UTF-16 code
// units, which is what JavaScript string indices count.

class EditError extends Error {
  constructor(message) {
    super(message);
    this.name = 'EditError';
  }
}

/** The offset of the start of every line (line i starts at starts[i]). */
function lineStarts(text) {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The string index of `position` in a text whose line starts are `starts`. */
function offsetAt(text, starts, position) {
  const { line, character } = position;
  if (!Number.isInteger(line) || !Number.isInteger(character) || line < 0 || character < 0) {
    throw new EditError(`invalid position ${JSON.stringify(position)}`);
  }
  if (line >= starts.length) {
    // One past the last line is the end of the text (a whole-line edit reaching the end).
    if (line === starts.length && character === 0) return text.length;
    throw new EditError(`line ${line} is past the end of the text (${starts.length} lines)`);
  }
  const lineEnd = line + 1 < starts.length ? starts[line + 1] : text.length;
  const offset = starts[line] + character;
  if (offset > lineEnd) throw new EditError(`character ${character} is past the end of line ${line}`);
  return offset;
}

const before = (a, b) => a.line < b.line || (a.line === b.line && a.character <= b.character);

/** Checks that `edits` are ascending and non-overlapping; throws an EditError otherwise. */
function checkEdits(edits) {
  for (let i = 0; i < edits.length; i++) {
    const { range, newText } = edits[i];
    if (!range || !range.start || !range.end || typeof newText !== 'string') {
      throw new EditError(`edit ${i} is not {range, newText}`);
    }
    if (!before(range.start, range.end)) throw new EditError(`edit ${i} ends before it starts`);
    if (i > 0 && !before(edits[i - 1].range.end, range.start)) {
      throw new EditError(`edit ${i} overlaps or precedes edit ${i - 1}`);
    }
  }
}

/** `text` with `edits` applied (last to first). Throws an EditError for invalid edits. */
function applyEdits(text, edits) {
  checkEdits(edits);
  const starts = lineStarts(text);
  let result = text;
  for (let i = edits.length - 1; i >= 0; i--) {
    const { range, newText } = edits[i];
    const start = offsetAt(text, starts, range.start);
    const end = offsetAt(text, starts, range.end);
    result = result.slice(0, start) + newText + result.slice(end);
  }
  return result;
}

/** Lines added and removed by whole-line `edits` (for the view's file list). */
function editStats(edits) {
  let added = 0;
  let removed = 0;
  for (const { range, newText } of edits) {
    removed += range.end.line - range.start.line + (range.end.character > 0 ? 1 : 0);
    if (newText.length > 0) added += newText.split('\n').length - (newText.endsWith('\n') ? 1 : 0);
  }
  return { added, removed };
}

module.exports = { applyEdits, checkEdits, editStats, lineStarts, offsetAt, EditError };
