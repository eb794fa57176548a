'use strict';
// The whole flow through extension.js, against the real daemon and the fake model: the
// extension starts the daemon, the sidebar (a fake webview view: the test plays the page) asks,
// the stream arrives before the result, the proposal opens in the diff editor and applies to a
// document with unsaved edits as one undo step, feedback reaches the daemon's records, a file
// that is not open is written by edit/apply, a build error shows in the Problems collection, and
// the daemon restarts in the middle of a conversation (and of a request) without the user
// noticing. The tests of this file run in order and share one extension and one daemon.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { createFakeVscode, activateExtension } = require('./support/fake-vscode');
const { env, waitForEvent, waitUntil, fakeRequests, scriptAnswers, aid, queryState, diffAnswer } = require('./support/env');

const extensionPath = path.resolve(__dirname, '..');
const greet = () => path.join(env.workspace, 'greet.py');
const DRAFT = '# unsaved draft: not on disk\n';

let fake;
let extension;
let api;
let view;
let document;

const proposed = (text) => text.replace('"Hello, "', '"Hi, "').replace('greet("world")', 'greet("there")');
const posted = () => view.posted.map((p) => p.message);
const postedSince = (start) => view.posted.slice(start).map((p) => p.message);

test.before(() => {
  assert.ok(!fs.existsSync(env.socket), 'no daemon runs before the extension starts');
  fake = createFakeVscode({ workspaceFolder: env.workspace, settings: { 'aid.executable': env.aidBin } });
  document = fake.test.openDocument(greet(), 'python');
  // The developer typed a line that is not saved yet.
  document.type([{ range: new fake.Range(0, 0, 0, 0), newText: DRAFT }]);
  assert.equal(document.isDirty, true);
  fake.test.showDocument(document, 2, 4);
  extension = activateExtension(fake, extensionPath);
  api = extension.api;
});

test.after(() => {
  if (extension) extension.deactivate();
});

test('the extension starts the daemon, connects and shows its version', async () => {
  if (api.rpc.state !== 'ready') await waitForEvent(api.rpc, 'ready', () => true, 15000, 'the connection');
  const status = JSON.parse(await aid('rpc', 'daemon/status'));
  assert.equal(api.rpc.serverInfo.serverVersion, status.version);
  assert.ok(fs.existsSync(env.socket));

  view = fake.test.resolveView('aid.sidebar');
  assert.match(view.webview.html, /script-src 'nonce-[A-Za-z0-9_-]{20,}'/);
  assert.deepEqual(view.webview.options.localResourceRoots.map((u) => u.fsPath), [path.join(extensionPath, 'media')]);
  await view.fromWebview({ type: 'ready' });
  const restore = posted().find((m) => m.type === 'restore');
  assert.equal(restore.state.connection.state, 'ready');
  assert.equal(restore.state.connection.serverVersion, status.version);
  assert.match(api.statusItem.tooltip, new RegExp(`aid ${status.version.replace(/\./g, '\\.')}`));
});

let proposal;

test('the editor state: workspace, file, cursor, selection, unsaved documents', () => {
  const state = api.editorHost.collectState();
  assert.equal(state.workspaceRoot, env.workspace);
  assert.equal(state.file, greet());
  assert.deepEqual(state.cursor, { line: 2, character: 4 });
  assert.equal(state.selection, undefined);
  assert.deepEqual(state.buffers, [{ path: greet(), text: document.getText() }]);
  const editor = fake.window.activeTextEditor;
  editor.selection = new fake.Selection(new fake.Position(2, 4), new fake.Position(1, 0));
  const selected = api.editorHost.collectState();
  assert.deepEqual(selected.selection, { start: { line: 1, character: 0 }, end: { line: 2, character: 4 } });
  assert.deepEqual(selected.cursor, { line: 1, character: 0 });
  fake.test.showDocument(document, 2, 4);
});

test('ask: the answer streams into the view before the result', async () => {
  // Two hunks: two edits, which must still be one undo step.
  await scriptAnswers([diffAnswer('I will make greet say Hi, to someone else.', 'greet.py', [
    '@@ -2,2 +2,2 @@',
    ' def greet(name):',
    '-    return "Hello, " + name',
    '+    return "Hi, " + name',
    '@@ -6,2 +6,2 @@',
    ' if __name__ == "__main__":',
    '-    print(greet("world"))',
    '+    print(greet("there"))',
  ])]);
  const start = view.posted.length;
  await view.fromWebview({ type: 'ask', prompt: 'Say Hi instead of Hello', mode: 'edit' });
  const messages = postedSince(start);
  const types = messages.map((m) => m.type);
  assert.equal(types[0], 'turn');
  const firstDelta = types.indexOf('delta');
  const answerAt = types.indexOf('answer');
  assert.ok(firstDelta > 0, `deltas were posted: ${types.join(',')}`);
  assert.ok(answerAt > firstDelta, 'the stream arrived before the result');
  assert.ok(types.filter((t) => t === 'delta').length >= 3, 'the answer came in several pieces');
  const answer = messages[answerAt].turn;
  const streamed = messages.filter((m) => m.type === 'delta').map((m) => m.text).join('');
  assert.equal(streamed, answer.text, 'the streamed text is the answer');
  assert.equal(answer.status, 'done');
  assert.equal(answer.proposals.length, 1);
  proposal = answer.proposals[0];
  assert.equal(proposal.applies, true);
  assert.deepEqual(proposal.files.map((f) => [f.path, f.status, f.added, f.removed]), [['greet.py', 'modified', 2, 2]]);
  assert.match(proposal.diff, /^\+    return "Hi, " \+ name$/m);

  // The daemon saw the unsaved buffer, the current file and the cursor.
  const requests = await fakeRequests();
  const prompt = JSON.stringify(requests[requests.length - 1]);
  assert.ok(prompt.includes('unsaved draft: not on disk'), 'the model was given the unsaved text');
  assert.equal(fake.test.contexts.get('aid.hasProposal'), true);
});

test('open diff shows the live document against the proposed text', async () => {
  const before = fake.test.executed.length;
  await view.fromWebview({ type: 'openDiff', proposalId: proposal.proposalId, path: 'greet.py' });
  const diff = fake.test.executed.slice(before).find((c) => c.id === 'vscode.diff');
  assert.ok(diff, 'vscode.diff was opened');
  const [left, right, title] = diff.args;
  assert.equal(left.scheme, 'file');
  assert.equal(left.fsPath, greet());
  assert.equal(right.scheme, 'aid-proposal');
  assert.match(title, /greet\.py/);
  assert.equal(fake.test.readVirtual(right), proposed(DRAFT + fs.readFileSync(greet(), 'utf8')));
});

test('apply edits the unsaved document in one undo step; feedback reaches the records', async () => {
  const unsaved = document.getText();
  const onDisk = fs.readFileSync(greet(), 'utf8');
  const start = view.posted.length;
  const feedback = waitForEvent(api.session, 'feedback', (p) => p.proposalId === proposal.proposalId);
  await view.fromWebview({ type: 'apply', proposalId: proposal.proposalId });
  assert.equal(document.getText(), proposed(unsaved));
  assert.equal(fake.test.appliedEdits.length, 1, 'one WorkspaceEdit');
  assert.equal(fake.test.appliedEdits[0].edits.length, 2, 'holding both edits');
  assert.equal(fs.readFileSync(greet(), 'utf8'), onDisk, 'the open document was edited, not the file');
  const update = postedSince(start).find((m) => m.type === 'proposal');
  assert.equal(update.proposal.outcome, 'accepted');

  assert.equal(document.undo(), true);
  assert.equal(document.getText(), unsaved, 'one undo reverts the whole proposal');
  assert.equal(document.isDirty, true);

  const [sent] = await feedback;
  assert.deepEqual(sent, { proposalId: proposal.proposalId, outcome: 'accepted', appliedBy: 'editor' });
  const rows = await queryState(`SELECT outcome, appliedBy FROM edit_feedback WHERE proposalId = '${proposal.proposalId}'`);
  assert.deepEqual(rows, [{ outcome: 'accepted', appliedBy: 'editor' }]);
  const metrics = JSON.parse(await aid('rpc', 'metrics/summary', '{"since":"1h"}'));
  const edit = metrics.acceptance.find((a) => a.task === 'edit');
  assert.ok(edit && edit.trials >= 1 && edit.accepted >= 1, `metrics/summary counts the acceptance: ${JSON.stringify(metrics.acceptance)}`);
});

test('a document edited after the question is not patched; the proposal stays open', async () => {
  await scriptAnswers([diffAnswer('Shorter.', 'greet.py', [
    '@@ -2,2 +2,2 @@',
    ' def greet(name):',
    '-    return "Hello, " + name',
    '+    return "Hey, " + name',
  ])]);
  let start = view.posted.length;
  await view.fromWebview({ type: 'ask', prompt: 'Say Hey', mode: 'edit' });
  const hey = postedSince(start).find((m) => m.type === 'answer').turn.proposals[0];
  document.type([{ range: new fake.Range(2, 0, 2, 0), newText: '    # typed after asking\n' }]);
  const typed = document.getText();
  start = view.posted.length;
  await view.fromWebview({ type: 'apply', proposalId: hey.proposalId });
  const notice = postedSince(start).find((m) => m.type === 'notice');
  assert.equal(notice.level, 'error');
  assert.match(notice.message, /greet\.py changed since the question was asked/);
  assert.equal(document.getText(), typed, 'nothing was applied');
  assert.equal(api.session.proposalView(hey.proposalId).outcome, null, 'the proposal can still be rejected or asked again');
  assert.equal(document.undo(), true);
  await view.fromWebview({ type: 'reject', proposalId: hey.proposalId });
});

test('a file that is not open is written by edit/apply; a rejection is recorded', async () => {
  const farewell = path.join(env.workspace, 'farewell.py');
  fs.writeFileSync(farewell, 'def farewell(name):\n    return "Bye, " + name\n');
  await scriptAnswers([diffAnswer('Longer goodbye.', 'farewell.py', [
    '@@ -1,2 +1,2 @@',
    ' def farewell(name):',
    '-    return "Bye, " + name',
    '+    return "Goodbye, " + name',
  ]), diffAnswer('Shout.', 'greet.py', [
    '@@ -2,2 +2,2 @@',
    ' def greet(name):',
    '-    return "Hello, " + name',
    '+    return "HELLO, " + name',
  ])]);
  const start = view.posted.length;
  await view.fromWebview({ type: 'ask', prompt: 'Say Goodbye in farewell.py', mode: 'edit' });
  const answer = postedSince(start).find((m) => m.type === 'answer').turn;
  const [onDisk] = answer.proposals;
  assert.deepEqual(onDisk.files.map((f) => f.path), ['farewell.py']);
  const applied = await fake.commands.executeCommand('aid.apply');
  assert.equal(applied[0].appliedBy, 'daemon');
  assert.equal(fs.readFileSync(farewell, 'utf8'), 'def farewell(name):\n    return "Goodbye, " + name\n');
  assert.equal(fake.test.appliedEdits.length, 1, 'no buffer was edited');

  const second = view.posted.length;
  await view.fromWebview({ type: 'ask', prompt: 'Shout', mode: 'edit' });
  const shout = postedSince(second).find((m) => m.type === 'answer').turn.proposals[0];
  const feedback = waitForEvent(api.session, 'feedback', (p) => p.proposalId === shout.proposalId);
  await view.fromWebview({ type: 'reject', proposalId: shout.proposalId });
  await feedback;
  assert.ok(document.getText().includes('"Hello, "'), 'a rejected proposal changes nothing');
  const rows = await queryState(`SELECT outcome FROM edit_feedback WHERE proposalId = '${shout.proposalId}'`);
  assert.deepEqual(rows, [{ outcome: 'rejected' }]);
  assert.equal(fake.test.contexts.get('aid.hasProposal'), false);
});

test('a build error becomes a diagnostic entry, and goes away when fixed', async () => {
  const original = fs.readFileSync(greet(), 'utf8');
  const bugLine = original.split('\n').length; // 1-based line of the appended text
  const red = waitForEvent(api.rpc, 'notification', (method, params) => method === 'build/statusChanged' && params.status.state === 'red', 20000, 'a red build');
  fs.appendFileSync(greet(), 'BUG = "planted by the test"\n');
  await red;
  const diagnostics = fake.test.collections[0].get(fake.Uri.file(greet()));
  assert.ok(diagnostics && diagnostics.length === 1, 'greet.py has a diagnostic');
  assert.equal(diagnostics[0].severity, fake.DiagnosticSeverity.Error);
  assert.equal(diagnostics[0].range.start.line, bugLine - 1, 'the 1-based line became 0-based');
  assert.equal(diagnostics[0].range.start.character, 0);
  assert.match(diagnostics[0].message, /BUG/);
  assert.match(api.statusItem.text, /\$\(error\) Aid 1/);
  assert.equal(posted().filter((m) => m.type === 'build').pop().build.state, 'red');

  const green = waitForEvent(api.rpc, 'notification', (method, params) => method === 'build/statusChanged' && params.status.state === 'green', 20000, 'a green build');
  fs.writeFileSync(greet(), original);
  await green;
  assert.equal(fake.test.collections[0].get(fake.Uri.file(greet())), undefined);
  assert.match(api.statusItem.text, /\$\(pass\) Aid/);
});

test('the daemon restarts in the middle of a conversation; the next question just works', async () => {
  await scriptAnswers(['Merge sort splits the list in halves.', 'It runs in O(n log n).']);
  let start = view.posted.length;
  await view.fromWebview({ type: 'ask', prompt: 'Name a sorting algorithm', mode: 'chat' });
  const first = postedSince(start).find((m) => m.type === 'answer').turn;
  assert.equal(first.text, 'Merge sort splits the list in halves.');
  const generation = api.rpc.serverInfo.generation;

  const reconnected = waitForEvent(api.rpc, 'ready', (info) => info.generation === generation + 1, 20000, 'the reconnection');
  await aid('restart');
  await reconnected;

  start = view.posted.length;
  await view.fromWebview({ type: 'ask', prompt: 'How fast is it?', mode: 'chat' });
  const second = postedSince(start).find((m) => m.type === 'answer');
  assert.ok(second, `the question after the restart was answered: ${JSON.stringify(postedSince(start).map((m) => m.type))}`);
  assert.equal(second.turn.text, 'It runs in O(n log n).');
  const requests = await fakeRequests();
  const sentToModel = JSON.stringify(requests[requests.length - 1]);
  assert.ok(sentToModel.includes('Merge sort splits the list in halves.'), 'the conversation went on across the restart');
  const connection = posted().filter((m) => m.type === 'connection').pop().connection;
  assert.equal(connection.generation, generation + 1);
});

test('a request in flight when the daemon restarts is sent again and answered once', async () => {
  const slow = { text: 'A slow answer that is still streaming when the daemon restarts. '.repeat(3), chunkChars: 4, chunkDelayMs: 25 };
  await scriptAnswers([slow]);
  const generation = api.rpc.serverInfo.generation;
  const start = view.posted.length;
  const firstDelta = waitForEvent(view.events, 'message', (m) => m.type === 'delta', 15000, 'the first delta');
  const asked = view.fromWebview({ type: 'ask', prompt: 'Explain slowly', mode: 'chat' });
  await firstDelta;
  const reconnected = waitForEvent(api.rpc, 'ready', (info) => info.generation === generation + 1, 20000, 'the reconnection');
  await aid('restart', '--drain-timeout-ms', '50');
  await reconnected;
  await asked;
  const messages = postedSince(start);
  const types = messages.map((m) => m.type);
  assert.ok(types.includes('reset'), `the partial answer was dropped when the request was sent again: ${types.join(',')}`);
  const answers = messages.filter((m) => m.type === 'answer');
  assert.equal(answers.length, 1, 'answered once');
  assert.equal(answers[0].turn.text, slow.text);
  const afterReset = messages.slice(types.lastIndexOf('reset') + 1).filter((m) => m.type === 'delta').map((m) => m.text).join('');
  assert.equal(afterReset, slow.text, 'the stream after the reset is the whole answer');
  const requests = await fakeRequests();
  assert.ok(JSON.stringify(requests[requests.length - 1]).includes('Merge sort splits the list in halves.'),
    'the request sent again carried the conversation to the restarted daemon');
});

test('cancel stops the answer and the daemon says so', async () => {
  await scriptAnswers([{ stallBeforeFirstToken: true }]);
  const start = view.posted.length;
  const turn = waitForEvent(view.events, 'message', (m) => m.type === 'turn', 10000, 'the turn');
  const asked = view.fromWebview({ type: 'ask', prompt: 'This will never be answered', mode: 'edit' });
  await turn;
  await waitUntil(async () => (await fakeRequests()).some((r) => JSON.stringify(r).includes('This will never be answered')), 15000, 'the model request');
  assert.equal(fake.test.contexts.get('aid.busy'), true);
  await view.fromWebview({ type: 'cancel' });
  await asked;
  const types = postedSince(start).map((m) => m.type);
  assert.ok(types.includes('cancelled'), `the turn ended cancelled: ${types.join(',')}`);
  assert.equal(api.session.busy, false);
});

test('commands: Ask (argument and input box), Restart Daemon, Show Status, Apply without a proposal', async () => {
  await scriptAnswers(['A plain answer.', 'Another plain answer.']);
  let start = view.posted.length;
  await fake.commands.executeCommand('aid.ask', 'Explain greet', 'chat');
  assert.equal(postedSince(start).find((m) => m.type === 'answer').turn.text, 'A plain answer.');
  fake.test.nextInput = 'Explain it again';
  start = view.posted.length;
  await fake.commands.executeCommand('aid.ask');
  const again = postedSince(start).find((m) => m.type === 'answer').turn;
  assert.equal(again.prompt, 'Explain it again');
  assert.equal(again.text, 'Another plain answer.');

  const generation = api.rpc.serverInfo.generation;
  const info = await fake.commands.executeCommand('aid.restartDaemon');
  assert.equal(info.generation, generation + 1);
  assert.match(fake.test.messages.pop().message, new RegExp(`generation ${generation} → ${generation + 1}`));

  const status = await fake.commands.executeCommand('aid.showStatus');
  assert.equal(status.pid, api.rpc.serverInfo.pid);
  assert.equal(status.generation, generation + 1);
  assert.match(fake.test.messages.pop().message, new RegExp(`aid ${status.version.replace(/\./g, '\\.')}`));
  await fake.commands.executeCommand('aid.apply');
  assert.match(fake.test.messages.pop().message, /no proposal to apply/);
});
