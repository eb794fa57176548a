'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { encode, FrameDecoder } = require('../lib/framing');

function decodeAll(chunks) {
  const messages = [];
  const errors = [];
  const decoder = new FrameDecoder((m) => messages.push(m), (e) => errors.push(e));
  for (const chunk of chunks) decoder.push(chunk);
  return { messages, errors };
}

test('frames split byte by byte are read whole', () => {
  const bytes = Buffer.concat([encode({ id: 1, text: 'héllo ✓ 𝄞' }), encode({ id: 2 })]);
  const chunks = [...bytes].map((b) => Buffer.from([b]));
  const { messages, errors } = decodeAll(chunks);
  assert.deepEqual(messages, [{ id: 1, text: 'héllo ✓ 𝄞' }, { id: 2 }]);
  assert.equal(errors.length, 0);
});

test('several frames in one chunk, and a Content-Length counted in bytes', () => {
  const one = encode({ a: 'ü'.repeat(10) });
  assert.match(one.toString('latin1'), /^Content-Length: 28\r\n\r\n/);
  const { messages } = decodeAll([Buffer.concat([one, one, one])]);
  assert.equal(messages.length, 3);
});

test('headers are case-insensitive and extra headers are ignored', () => {
  const body = '{"ok":true}';
  const frame = Buffer.from(`content-length: ${body.length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Other: 1\r\n\r\n${body}`);
  assert.deepEqual(decodeAll([frame]).messages, [{ ok: true }]);
});

test('a malformed header or body is reported and skipped; the stream goes on', () => {
  const bad = Buffer.from('Content-Length: 2\r\nnonsense\r\n\r\n{}');
  const notJson = Buffer.from('Content-Length: 3\r\n\r\n{x}');
  const noLength = Buffer.from('X-Foo: 1\r\n\r\n');
  const { messages, errors } = decodeAll([Buffer.concat([bad, notJson, noLength, encode({ after: 1 })])]);
  assert.deepEqual(messages, [{ after: 1 }]);
  assert.equal(errors.length, 3);
  assert.ok(errors.every((e) => !e.fatal));
});

test('a header block without an end past 8 KiB is fatal', () => {
  const { errors } = decodeAll([Buffer.from('X'.repeat(9000))]);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].fatal, true);
});
