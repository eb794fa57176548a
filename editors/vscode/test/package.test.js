'use strict';
// scripts/package.sh builds a .vsix holding what the extension needs; unpacked, it activates and
// registers every command and view its package.json declares.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { createFakeVscode, activateExtension } = require('./support/fake-vscode');
const { waitForEvent } = require('./support/env');

const root = path.resolve(__dirname, '..');

test('the .vsix holds the manifest, the content types and the extension, which activates', async (t) => {
  const dir = fs.mkdtempSync(path.join(process.env.AID_TEST_DIR || os.tmpdir(), 'aid-vsix-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const vsix = path.join(dir, 'aid.vsix');
  execFileSync(path.join(root, 'scripts', 'package.sh'), [vsix], { stdio: 'pipe' });

  const unpacked = path.join(dir, 'unpacked');
  const names = JSON.parse(execFileSync('python3', ['-c', [
    'import json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'z.extractall(sys.argv[2])',
    'print(json.dumps(z.namelist()))',
  ].join('\n'), vsix, unpacked], { encoding: 'utf8' }));
  for (const required of ['extension.vsixmanifest', '[Content_Types].xml', 'extension/package.json', 'extension/extension.js', 'extension/media/sidebar.js']) {
    assert.ok(names.includes(required), `${required} is in the .vsix`);
  }
  assert.ok(!names.some((n) => n.startsWith('extension/test/') || n.startsWith('extension/bench/')), 'no tests or benchmarks');
  const manifest = fs.readFileSync(path.join(unpacked, 'extension.vsixmanifest'), 'utf8');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.match(manifest, new RegExp(`<Identity Language="en-US" Id="${pkg.name}" Version="${pkg.version}" Publisher="${pkg.publisher}" />`));
  assert.match(fs.readFileSync(path.join(unpacked, '[Content_Types].xml'), 'utf8'), /Extension="\.js" ContentType="application\/javascript"/);

  // Activate the unpacked copy, pointed at a socket where nothing listens and with auto-start off.
  const fake = createFakeVscode({
    workspaceFolder: dir,
    settings: { 'aid.autoStart': false, 'aid.socketPath': path.join(dir, 'none.sock'), 'aid.connectTimeoutMs': 500 },
  });
  const extension = activateExtension(fake, path.join(unpacked, 'extension'));
  t.after(() => extension.deactivate());
  for (const { command } of pkg.contributes.commands) assert.ok(fake.test.commands.has(command), `${command} is registered`);
  for (const views of Object.values(pkg.contributes.views)) {
    for (const view of views) assert.ok(fake.test.providers.has(view.id), `view ${view.id} has a provider`);
  }
  const [state, detail] = await waitForEvent(extension.api.rpc, 'state', (s) => s === 'disconnected', 10000, 'the client to give up');
  assert.equal(state, 'disconnected');
  assert.match(detail, /no aid daemon listens at .*none\.sock/);
});
