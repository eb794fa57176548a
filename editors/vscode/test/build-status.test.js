'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { diagnosticsByFile, summarize, LINE_END } = require('../lib/build-status');

test('1-based protocol positions become 0-based ranges, grouped by absolute path', () => {
  const status = {
    state: 'red',
    diagnostics: [
      { path: 'src/a.ml', line: 3, column: 5, endLine: 3, endColumn: 9, severity: 'error', message: 'bad', source: 'ocaml' },
      { path: 'src/a.ml', line: 10, column: 1, severity: 'warning', message: 'meh' },
      { path: '/abs/b.py', line: 1, column: 1, severity: 'error', message: 'x' },
    ],
  };
  const byFile = diagnosticsByFile('/ws', status);
  assert.deepEqual([...byFile.keys()], ['/ws/src/a.ml', '/abs/b.py']);
  const [first, second] = byFile.get('/ws/src/a.ml');
  assert.deepEqual(first.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 8 } });
  assert.equal(first.source, 'aid build (ocaml)');
  assert.deepEqual(second.range, { start: { line: 9, character: 0 }, end: { line: 9, character: LINE_END } });
  assert.equal(second.severity, 'warning');
});

test('the summary counts errors', () => {
  assert.equal(summarize({ state: 'red', diagnostics: [{ severity: 'error' }, { severity: 'error' }, { severity: 'warning' }] }).text, 'build red: 2 errors');
  assert.equal(summarize({ state: 'green', diagnostics: [] }).text, 'build green');
  assert.equal(summarize(null).state, 'unknown');
});
