'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { defaultSocketPath, resolveSocketPath, daemonEnvironment } = require('../lib/socket-path');

test('the socket is found as the daemon finds it', () => {
  assert.equal(defaultSocketPath({ AID_SOCKET: '/x/s.sock', XDG_RUNTIME_DIR: '/run/user/7' }, 7), '/x/s.sock');
  assert.equal(defaultSocketPath({ XDG_RUNTIME_DIR: '/run/user/7' }, 7), '/run/user/7/aid/aid.sock');
  assert.equal(defaultSocketPath({ AID_SOCKET: '', XDG_RUNTIME_DIR: '' }, 7), '/tmp/aid-7/aid.sock');
  assert.equal(defaultSocketPath({}, 1000), '/tmp/aid-1000/aid.sock');
});

test('the setting wins, and a daemon started by the editor is told about it', () => {
  assert.equal(resolveSocketPath('  ', { XDG_RUNTIME_DIR: '/r' }, 1), '/r/aid/aid.sock');
  assert.equal(resolveSocketPath('~/aid.sock', { HOME: '/home/me' }, 1), '/home/me/aid.sock');
  assert.equal(daemonEnvironment('/s/a.sock', { PATH: '/bin' }).AID_SOCKET, '/s/a.sock');
  assert.equal(daemonEnvironment('', { PATH: '/bin' }).AID_SOCKET, undefined);
});
