'use strict';
// The sidebar webview in headless Chromium, loaded exactly as the extension renders it (strict
// CSP, a fresh nonce) with a stand-in `acquireVsCodeApi`. First a scripted message sequence
// checks the DOM, the messages the page sends, escaping, the CSP and state restore; then the
// page is wired to the real extension (stand-in vscode API) and the real daemon: the test types
// a prompt, clicks Ask, watches the answer stream into the DOM, screenshots the sidebar
// (test/screenshots/sidebar.png), opens the diff and applies the proposal.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const { launchChromium } = require('./support/cdp');
const { renderSidebar } = require('../lib/webview-html');

const root = path.resolve(__dirname, '..');
const media = path.join(root, 'media');
const screenshotPath = path.join(__dirname, 'screenshots', 'sidebar.png');

// VS Code's Dark Modern colours, which the webview host sets as --vscode-* variables.
const THEME = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", "DejaVu Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"DejaVu Sans Mono", "Droid Sans Mono", monospace',
  '--vscode-editor-font-size': '12px',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-sideBar-background': '#181818',
  '--vscode-sideBarSectionHeader-border': '#2b2b2b',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-input-border': '#3c3c3c',
  '--vscode-input-placeholderForeground': '#989898',
  '--vscode-dropdown-background': '#313131',
  '--vscode-dropdown-foreground': '#cccccc',
  '--vscode-dropdown-border': '#3c3c3c',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-textCodeBlock-background': '#2b2b2b',
  '--vscode-errorForeground': '#f85149',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-diffEditor-insertedLineBackground': 'rgba(155, 185, 85, 0.2)',
  '--vscode-diffEditor-removedLineBackground': 'rgba(255, 0, 0, 0.2)',
  '--vscode-gitDecoration-addedResourceForeground': '#81b88b',
  '--vscode-gitDecoration-deletedResourceForeground': '#c74e39',
  '--vscode-gitDecoration-modifiedResourceForeground': '#e2c08d',
};

// Runs in the page before its own scripts: the host API (state survives reloads in window.name,
// as VS Code keeps it across reloads of a webview), the theme, and a record of CSP violations.
const HOST_STUB = `
  window.__posted = [];
  window.__violations = [];
  window.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => { window.__posted.push(m); if (window.__aidPost) window.__aidPost(JSON.stringify(m)); },
    getState: () => (window.name ? JSON.parse(window.name) : undefined),
    setState: (s) => { window.name = JSON.stringify(s); },
  });
  const theme = ${JSON.stringify(THEME)};
  new MutationObserver((_, observer) => {
    if (!document.documentElement) return;
    for (const [k, v] of Object.entries(theme)) document.documentElement.style.setProperty(k, v);
    observer.disconnect();
  }).observe(document, { childList: true });
`;

let browser;
let page;
let workDir;

/** Writes the sidebar as the extension renders it; returns its file URL and nonce. */
function writeSidebar() {
  const { html, nonce } = renderSidebar({
    templatePath: path.join(media, 'sidebar.html'),
    cspSource: 'file:',
    styleUri: pathToFileURL(path.join(media, 'sidebar.css')),
    scriptUri: pathToFileURL(path.join(media, 'sidebar.js')),
  });
  const file = path.join(workDir, 'sidebar.html');
  fs.writeFileSync(file, html);
  return { url: pathToFileURL(file).href, nonce, html };
}

async function load() {
  const { url } = writeSidebar();
  const loaded = page.once('Page.loadEventFired');
  await page.send('Page.navigate', { url });
  await loaded;
}

/** Delivers messages to the page as the extension's postMessage does. */
async function deliver(...messages) {
  for (const message of messages) await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
}

/** Waits (in the page, polling each frame) until `expression` is truthy; returns its value. */
function pageWait(expression, timeoutMs = 10000) {
  return page.evaluate(`new Promise((resolve, reject) => {
    const deadline = Date.now() + ${timeoutMs};
    const check = () => {
      let value;
      try { value = (${expression}); } catch (e) { value = undefined; }
      if (value) resolve(value);
      else if (Date.now() > deadline) reject(new Error('timed out waiting for ' + ${JSON.stringify(expression)}));
      else requestAnimationFrame(check);
    };
    check();
  })`);
}

const click = (selector) => page.evaluate(`(() => { const el = document.querySelector(${JSON.stringify(selector)}); if (!el) throw new Error('no ${selector.replace(/'/g, '')}'); el.click(); return true; })()`);

test.before(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aid-webview-test-'));
  browser = await launchChromium({ width: 400, height: 860 });
  page = browser.page;
  await page.send('Page.enable');
  await page.send('Runtime.enable');
  await page.send('Page.addScriptToEvaluateOnNewDocument', { source: HOST_STUB });
  await page.send('Emulation.setDeviceMetricsOverride', { width: 400, height: 860, deviceScaleFactor: 1, mobile: false });
});

test.after(async () => {
  if (browser) await browser.close();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

const PROPOSAL = {
  proposalId: 'p-1',
  applies: true,
  repaired: false,
  outcome: null,
  diff: 'diff --git a/greet.py b/greet.py\n--- a/greet.py\n+++ b/greet.py\n@@ -1,2 +1,2 @@\n def greet(name):\n-    return "Hello, " + name\n+    return "Hi, " + name\n',
  files: [{ path: 'greet.py', status: 'modified', added: 1, removed: 1 }],
};

test('the page loads under its CSP with a fresh nonce and says it is ready', async () => {
  const first = writeSidebar();
  const second = writeSidebar();
  assert.notEqual(first.nonce, second.nonce, 'a new nonce per load');
  assert.match(first.html, new RegExp(`script-src 'nonce-${first.nonce}'`));
  assert.match(first.html, /default-src 'none'/);
  const template = fs.readFileSync(path.join(media, 'sidebar.html'), 'utf8');
  assert.doesNotMatch(template, /\son[a-z]+\s*=/i, 'no inline event handlers');
  assert.doesNotMatch(template, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline scripts');
  assert.doesNotMatch(template, /\sstyle\s*=/i, 'no inline styles');

  await load();
  assert.deepEqual(await page.evaluate('window.__posted'), [{ type: 'ready' }]);
  assert.deepEqual(await page.evaluate('window.__violations'), []);
  // An injected inline script is refused by the CSP.
  await page.evaluate(`(() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.body.appendChild(s); })()`);
  assert.equal(await page.evaluate('window.__inline === undefined'), true);
  assert.ok((await pageWait('window.__violations.length > 0 && window.__violations')).some((v) => v.startsWith('script-src')));
});

test('a scripted conversation: stream, proposal, buttons, escaping, restore', async () => {
  await page.evaluate('window.name = ""');
  await load();
  await deliver(
    { type: 'restore', state: { turns: [], connection: { state: 'ready', serverVersion: '0.1.0', generation: 0 }, build: { state: 'green', errors: 0, warnings: 0, text: 'build green', tooltip: 'Build: green' } } },
    { type: 'turn', turn: { turnId: 1, mode: 'edit', prompt: 'Say <b>Hi</b> <img src=x onerror="window.__pwned=1">', text: '', status: 'streaming', proposals: [] } },
    { type: 'delta', turnId: 1, text: 'I will make ' },
    { type: 'delta', turnId: 1, text: 'greet say Hi.\n\n```diff\n-    return "Hello' },
  );
  assert.equal(await page.evaluate(`document.getElementById('connection-text').textContent`), 'aid 0.1.0');
  assert.equal(await page.evaluate(`document.getElementById('build').dataset.state`), 'green');
  const streaming = await page.evaluate(`(() => {
    const turn = document.querySelector('article.turn[data-turn-id="1"]');
    return { answer: turn.querySelector('.answer').textContent, working: !!turn.querySelector('.working'),
      cancel: !document.getElementById('cancel').hidden, askDisabled: document.getElementById('ask').disabled,
      del: [...turn.querySelectorAll('.answer .line.del')].map((l) => l.textContent) };
  })()`);
  assert.equal(streaming.answer, 'I will make greet say Hi.-    return "Hello');
  assert.deepEqual(streaming.del, ['-    return "Hello'], 'the diff fence is coloured while it streams');
  assert.equal(streaming.working, true);
  assert.equal(streaming.cancel, true);
  assert.equal(streaming.askDisabled, true);
  // The prompt's markup is shown as text, never run or parsed.
  const prompt = await page.evaluate(`document.querySelector('.prompt-text').textContent`);
  assert.equal(prompt, 'Say <b>Hi</b> <img src=x onerror="window.__pwned=1">');
  assert.equal(await page.evaluate('document.querySelectorAll(".turn img, .turn b").length'), 0);
  assert.equal(await page.evaluate('window.__pwned === undefined'), true);

  await click('#cancel');
  assert.deepEqual((await page.evaluate('window.__posted')).pop(), { type: 'cancel' });

  await deliver(
    { type: 'reset', turnId: 1 },
    { type: 'delta', turnId: 1, text: 'Fresh answer.' },
    { type: 'answer', turn: { turnId: 1, mode: 'edit', prompt: 'Say Hi', text: 'Fresh answer.', status: 'done', model: 'fake', timings: { firstTokenMs: 12.3, totalMs: 80 }, proposals: [PROPOSAL] } },
  );
  const done = await page.evaluate(`(() => {
    const turn = document.querySelector('article.turn[data-turn-id="1"]');
    return { answer: turn.querySelector('.answer').textContent, working: !!turn.querySelector('.working'),
      files: [...turn.querySelectorAll('li.file')].map((f) => [f.dataset.path, f.querySelector('.status').textContent, f.querySelector('.stats').textContent]),
      adds: [...turn.querySelectorAll('.file-diff .line.add')].map((l) => l.textContent.trim()),
      buttons: [...turn.querySelectorAll('.proposal-actions button')].map((b) => [b.textContent, b.disabled]),
      meta: turn.querySelector('.turn-meta').textContent, ask: document.getElementById('ask').disabled };
  })()`);
  assert.equal(done.answer, 'Fresh answer.');
  assert.equal(done.working, false);
  assert.deepEqual(done.files, [['greet.py', 'M', '+1−1']]);
  assert.deepEqual(done.adds, ['+    return "Hi, " + name']);
  assert.deepEqual(done.buttons, [['Apply', false], ['Reject', false]]);
  assert.match(done.meta, /fake · first token 12 ms/);
  assert.equal(done.ask, false);

  await click('button.open-diff');
  assert.deepEqual((await page.evaluate('window.__posted')).pop(), { type: 'openDiff', proposalId: 'p-1', path: 'greet.py' });
  await click('button.apply');
  assert.deepEqual((await page.evaluate('window.__posted')).pop(), { type: 'apply', proposalId: 'p-1' });
  assert.deepEqual(await page.evaluate(`[...document.querySelectorAll('.proposal-actions button')].map((b) => b.disabled)`), [true, true], 'one decision at a time');
  await deliver({ type: 'proposal', proposal: { ...PROPOSAL, outcome: 'accepted' } });
  assert.equal(await page.evaluate(`document.querySelector('.proposal .outcome').textContent`), 'Applied');

  await deliver({ type: 'build', build: { state: 'red', errors: 1, warnings: 0, text: 'build red: 1 error', tooltip: 'Build: red' } });
  assert.equal(await page.evaluate(`document.getElementById('build').textContent`), 'build red: 1 error');

  // Typing a prompt and Ctrl+Enter asks.
  await page.evaluate(`document.getElementById('prompt').focus()`);
  await page.send('Input.insertText', { text: 'Now say Bye' });
  await page.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, modifiers: 2 });
  assert.deepEqual((await page.evaluate('window.__posted')).pop(), { type: 'ask', prompt: 'Now say Bye', mode: 'edit' });
  assert.equal(await page.evaluate(`document.getElementById('prompt').value`), '');

  // After a reload (the view was hidden), the saved state shows at once, before any message.
  const loaded = page.once('Page.loadEventFired');
  await page.send('Page.reload');
  await loaded;
  assert.equal(await page.evaluate(`document.querySelector('article.turn[data-turn-id="1"] .answer').textContent`), 'Fresh answer.');
  assert.deepEqual(await page.evaluate('window.__posted'), [{ type: 'ready' }]);
});

test('live: the page drives the real extension and daemon; screenshot of the streamed answer and diff', async (t) => {
  const { createFakeVscode, activateExtension } = require('./support/fake-vscode');
  const { env, waitForEvent, scriptAnswers, diffAnswer } = require('./support/env');
  const greet = path.join(env.workspace, 'greet.py');
  const original = fs.readFileSync(greet, 'utf8');
  const fake = createFakeVscode({ workspaceFolder: env.workspace, settings: { 'aid.executable': env.aidBin } });
  const document = fake.test.openDocument(greet, 'python');
  fake.test.showDocument(document, 1, 4);
  const extension = activateExtension(fake, root);
  t.after(() => extension.deactivate());
  if (extension.api.rpc.state !== 'ready') await waitForEvent(extension.api.rpc, 'ready', () => true, 15000, 'the connection');

  await scriptAnswers([{
    text: diffAnswer('Here is the change: `greet` says "Hi" and the script greets a friend.', 'greet.py', [
      '@@ -1,6 +1,6 @@',
      ' def greet(name):',
      '-    return "Hello, " + name',
      '+    return "Hi, " + name',
      ' ',
      ' ',
      ' if __name__ == "__main__":',
      '-    print(greet("world"))',
      '+    print(greet("friend"))',
    ]),
    chunkChars: 8,
    chunkDelayMs: 15,
  }]);

  // Wire the page to the extension: page -> extension through a binding, extension -> page in order.
  const view = fake.test.resolveView('aid.sidebar');
  await page.send('Runtime.addBinding', { name: '__aidPost' });
  page.listeners.set('Runtime.bindingCalled', new Set([(params) => {
    if (params.name === '__aidPost') view.fromWebview(JSON.parse(params.payload));
  }]));
  let chain = Promise.resolve();
  view.events.on('message', (message) => {
    chain = chain.then(() => deliver(message)).catch(() => {});
  });
  await page.evaluate('window.name = ""');
  await load(); // posts `ready` through the binding; the extension answers `restore`
  await pageWait(`document.getElementById('connection').dataset.state === 'ready'`);

  await page.evaluate(`document.getElementById('prompt').value = 'Say Hi, and greet a friend'`);
  await click('#ask');
  // The answer streams into the DOM: seen while the turn is still streaming.
  const partial = await pageWait(`(() => {
    const turn = document.querySelector('article.turn[data-status="streaming"]');
    const text = turn && turn.querySelector('.answer').textContent;
    return text && text.length > 0 ? text : null;
  })()`);
  assert.ok(partial.length > 0);
  await pageWait(`document.querySelector('article.turn[data-status="done"] .proposal .apply')`, 20000);
  await chain;
  const shown = await page.evaluate(`(() => {
    const turn = document.querySelector('article.turn[data-status="done"]');
    return { files: [...turn.querySelectorAll('li.file')].map((f) => f.dataset.path + ' ' + f.querySelector('.stats').textContent),
      adds: [...turn.querySelectorAll('.file-diff .line.add')].map((l) => l.textContent.trim()) };
  })()`);
  assert.deepEqual(shown.files, ['greet.py +2−2']);
  assert.deepEqual(shown.adds, ['+    return "Hi, " + name', '+    print(greet("friend"))']);

  await page.evaluate(`document.querySelector('.turns').scrollTop = 0`);
  const { data } = await page.send('Page.captureScreenshot', { format: 'png' });
  fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
  fs.writeFileSync(screenshotPath, Buffer.from(data, 'base64'));

  const diffOpened = waitForEvent(fake.test.events, 'executed', (command) => command.id === 'vscode.diff', 5000, 'vscode.diff');
  await click('button.open-diff');
  const [{ args }] = await diffOpened;
  assert.equal(fake.test.readVirtual(args[1]), original.replace('"Hello, "', '"Hi, "').replace('greet("world")', 'greet("friend")'));
  await click('button.apply');
  await pageWait(`document.querySelector('.proposal .outcome') && document.querySelector('.proposal .outcome').textContent === 'Applied'`);
  assert.equal(document.getText(), original.replace('"Hello, "', '"Hi, "').replace('greet("world")', 'greet("friend")'));
  assert.equal(document.undo(), true);
  assert.equal(document.getText(), original);
});
