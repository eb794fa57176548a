'use strict';
// Starting the daemon: errors that say what to fix. (Starting the real daemon when none runs is
// in extension-flow.test.js: the extension starts it there.)
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { connectOrStart } = require('../lib/daemon');

test('a wrong executable is reported with the setting to fix', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aid-daemon-test-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  await assert.rejects(
    connectOrStart({ socketPath: path.join(dir, 'aid.sock'), executable: path.join(dir, 'no-such-aid'), timeoutMs: 500 }),
    /cannot run .*no-such-aid.*set aid\.executable/,
  );
});

test('without auto-start, an absent daemon is reported at once', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aid-daemon-test-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const started = Date.now();
  await assert.rejects(connectOrStart({ socketPath: path.join(dir, 'aid.sock'), autoStart: false }), /no aid daemon listens at .*aid\.sock \(ENOENT\)/);
  assert.ok(Date.now() - started < 1000);
});

test('a daemon that never comes up is given up after the timeout', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aid-daemon-test-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // `true daemon` starts and exits without listening.
  await assert.rejects(
    connectOrStart({ socketPath: path.join(dir, 'aid.sock'), executable: 'true', timeoutMs: 300 }),
    /did not answer at .*within 300 ms/,
  );
});
