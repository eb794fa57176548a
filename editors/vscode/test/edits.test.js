'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { applyEdits, editStats, EditError } = require('../lib/edits');

const at = (line, character = 0) => ({ line, character });
const edit = (startLine, endLine, newText) => ({ range: { start: at(startLine), end: at(endLine) }, newText });

test('whole-line edits are applied last to first', () => {
  const text = 'one\ntwo\nthree\nfour\n';
  const result = applyEdits(text, [edit(0, 1, 'ONE\n'), edit(2, 3, 'THREE\n3b\n')]);
  assert.equal(result, 'ONE\ntwo\nTHREE\n3b\nfour\n');
});

test('insertions, deletions and an edit reaching the end of a text without a final newline', () => {
  assert.equal(applyEdits('a\nb\n', [edit(1, 1, 'x\n')]), 'a\nx\nb\n');
  assert.equal(applyEdits('a\nb\nc\n', [edit(1, 2, '')]), 'a\nc\n');
  assert.equal(applyEdits('a\nb', [edit(1, 2, 'B\n')]), 'a\nB\n');
  assert.equal(applyEdits('', [edit(0, 0, 'new\n')]), 'new\n');
});

test('CRLF lines and UTF-16 characters', () => {
  assert.equal(applyEdits('a\r\n𝄞b\r\nc\r\n', [edit(1, 2, 'X\r\n')]), 'a\r\nX\r\nc\r\n');
  const mid = { range: { start: at(0, 2), end: at(0, 3) }, newText: '!' };
  assert.equal(applyEdits('𝄞ab\n', [mid]), '𝄞!b\n');
});

test('overlapping, unsorted and out-of-range edits are refused', () => {
  assert.throws(() => applyEdits('a\nb\nc\n', [edit(0, 2, ''), edit(1, 3, '')]), EditError);
  assert.throws(() => applyEdits('a\nb\nc\n', [edit(2, 3, ''), edit(0, 1, '')]), EditError);
  assert.throws(() => applyEdits('a\n', [edit(3, 4, '')]), EditError);
  assert.throws(() => applyEdits('a\n', [{ range: { start: at(0, 5), end: at(1) }, newText: '' }]), EditError);
});

test('edit statistics count whole lines', () => {
  assert.deepEqual(editStats([edit(1, 2, 'x\ny\n'), edit(5, 5, 'z\n'), edit(7, 9, '')]), { added: 3, removed: 3 });
});
