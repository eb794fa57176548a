'use strict';
// The Aid extension: the only module that uses the `vscode` API. It glues the editor-independent
// modules of lib/ to VS Code: the connection (lib/rpc.js, lib/daemon.js), the conversation
// (lib/session.js) and the sidebar webview (lib/controller.js, media/), plus the status-bar item
// and the Problems entries of the build, and the virtual documents of proposed text for the
// built-in diff editor.

const vscode = require('vscode');
const fs = require('fs');
const path = require('path');
const { RpcClient } = require('./lib/rpc');
const { connectOrStart } = require('./lib/daemon');
const { resolveSocketPath, daemonEnvironment } = require('./lib/socket-path');
const { Session } = require('./lib/session');
const { ViewController } = require('./lib/controller');
const { diagnosticsByFile, summarize } = require('./lib/build-status');
const { renderSidebar } = require('./lib/webview-html');

const VIEW_ID = 'aid.sidebar';
const PROPOSAL_SCHEME = 'aid-proposal';
const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  note: vscode.DiagnosticSeverity.Information,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** @param {vscode.ExtensionContext} context */
function activate(context) {
  const extensionVersion = readVersion(context.extensionPath);
  const output = vscode.window.createOutputChannel('Aid');
  const log = (level, message) => output.appendLine(`${new Date().toISOString()} ${level}: ${message}`);
  const config = () => vscode.workspace.getConfiguration('aid');
  const subscriptions = context.subscriptions;
  subscriptions.push(output);

  // ---- connection ----

  const workspaceRoot = () => {
    const active = vscode.window.activeTextEditor;
    const folder = (active && vscode.workspace.getWorkspaceFolder(active.document.uri)) || (vscode.workspace.workspaceFolders || [])[0];
    return folder && folder.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
  };
  let connectedRoot;
  const rpc = new RpcClient({
    connect: () => {
      const settings = config();
      return connectOrStart({
        socketPath: resolveSocketPath(settings.get('socketPath')),
        executable: settings.get('executable') || 'aid',
        autoStart: settings.get('autoStart', true),
        timeoutMs: settings.get('connectTimeoutMs', 5000),
        env: daemonEnvironment(settings.get('socketPath')),
        log: (message) => log('info', message),
      });
    },
    initializeParams: () => {
      connectedRoot = workspaceRoot();
      const params = { clientName: 'aid-vscode', clientVersion: extensionVersion, editor: `VS Code ${vscode.version}`, processId: process.pid };
      if (connectedRoot) params.workspaceRoot = connectedRoot;
      return params;
    },
    reconnectTimeoutMs: Math.max(config().get('connectTimeoutMs', 5000) * 2, 2000),
    log,
  });
  subscriptions.push({ dispose: () => rpc.dispose() });

  // ---- the editor, as the session sees it ----

  const findDocument = (file) => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  const inside = (root, file) => file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
  const position = (p) => ({ line: p.line, character: p.character });
  const editorHost = {
    collectState() {
      const root = workspaceRoot();
      if (!root) throw new Error('Open a folder first: Aid works on a workspace.');
      const state = { workspaceRoot: root, buffers: [] };
      const active = vscode.window.activeTextEditor;
      if (active && active.document.uri.scheme === 'file' && inside(root, active.document.uri.fsPath)) {
        state.file = active.document.uri.fsPath;
        const selection = active.selection;
        state.cursor = position(selection.active);
        if (!selection.isEmpty) state.selection = { start: position(selection.start), end: position(selection.end) };
      }
      if (config().get('sendUnsavedBuffers', true)) {
        for (const document of vscode.workspace.textDocuments) {
          if (document.isDirty && document.uri.scheme === 'file' && inside(root, document.uri.fsPath)) {
            state.buffers.push({ path: document.uri.fsPath, text: document.getText() });
          }
        }
      }
      return state;
    },
    openBuffer(file) {
      const document = findDocument(file);
      return document ? { text: document.getText(), dirty: document.isDirty, version: document.version } : null;
    },
    /** Every change in one WorkspaceEdit: one undo step per document. */
    async applyBufferEdits(changes) {
      const edit = new vscode.WorkspaceEdit();
      const metadata = { label: 'Aid: apply proposal', needsConfirmation: false };
      for (const change of changes) {
        const document = findDocument(change.path);
        if (!document || document.version !== change.version) return false;
        for (const { range, newText } of change.edits) {
          const target = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
          edit.replace(document.uri, target, newText, metadata);
        }
      }
      return vscode.workspace.applyEdit(edit);
    },
  };

  const session = new Session({
    rpc,
    editor: editorHost,
    settings: () => ({ model: config().get('model') || undefined, strategy: config().get('strategy') || undefined }),
    log,
  });
  subscriptions.push({ dispose: () => session.dispose() });

  // ---- proposed text as virtual documents, for the diff editor ----

  const proposalUri = (proposalId, relativePath, side) => vscode.Uri.from({
    scheme: PROPOSAL_SCHEME,
    path: '/' + relativePath,
    query: `id=${encodeURIComponent(proposalId)}${side ? `&side=${side}` : ''}`,
  });
  subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, {
    provideTextDocumentContent(uri) {
      const query = new URLSearchParams(uri.query);
      if (query.get('side') === 'empty') return '';
      return session.proposedText(query.get('id'), uri.path.replace(/^\//, '')) || '';
    },
  }));

  async function openDiff(proposalId, relativePath) {
    const record = session.proposals.get(proposalId);
    const file = record && record.proposal.files.find((f) => f.path === relativePath);
    if (!file) throw new Error(`no file ${relativePath} in proposal ${proposalId}`);
    const left = file.status === 'added'
      ? proposalUri(proposalId, relativePath, 'empty')
      : vscode.Uri.file(path.join(record.workspaceRoot, file.oldPath || file.path));
    const right = file.status === 'deleted' ? proposalUri(proposalId, relativePath, 'empty') : proposalUri(proposalId, relativePath);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${path.basename(relativePath)} ↔ Aid proposal`, { preview: true });
  }

  // ---- the sidebar ----

  const controller = new ViewController({ session, rpc, actions: { openDiff }, log });
  subscriptions.push({ dispose: () => controller.dispose() });
  let sidebar = null;
  const mediaUri = vscode.Uri.joinPath(context.extensionUri, 'media');
  subscriptions.push(vscode.window.registerWebviewViewProvider(VIEW_ID, {
    resolveWebviewView(view) {
      sidebar = view;
      const { webview } = view;
      webview.options = { enableScripts: true, localResourceRoots: [mediaUri] };
      webview.html = renderSidebar({
        templatePath: path.join(context.extensionPath, 'media', 'sidebar.html'),
        cspSource: webview.cspSource,
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaUri, 'sidebar.css')),
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaUri, 'sidebar.js')),
      }).html;
      controller.attachView((message) => webview.postMessage(message));
      const received = webview.onDidReceiveMessage((message) => controller.handleMessage(message));
      view.onDidDispose(() => {
        received.dispose();
        if (sidebar === view) {
          sidebar = null;
          controller.attachView(null);
        }
      });
    },
  }));
  const revealSidebar = async () => {
    if (sidebar) sidebar.show(true);
    else await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  };

  // ---- build status: status bar and Problems ----

  const statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  statusItem.name = 'Aid';
  statusItem.command = 'aid.showStatus';
  subscriptions.push(statusItem);
  const diagnostics = vscode.languages.createDiagnosticCollection('aid');
  subscriptions.push(diagnostics);
  let build = summarize(null);

  function renderStatusItem() {
    const connection = rpc.state;
    const version = rpc.serverInfo ? `aid ${rpc.serverInfo.serverVersion}` : 'aid';
    let icon = '$(circle-large-outline)';
    if (connection !== 'ready') icon = connection === 'connecting' ? '$(sync~spin)' : '$(debug-disconnect)';
    else if (build.state === 'green') icon = '$(pass)';
    else if (build.state === 'red') icon = '$(error)';
    else if (build.state === 'running') icon = '$(sync~spin)';
    statusItem.text = `${icon} Aid${build.state === 'red' && build.errors ? ` ${build.errors}` : ''}`;
    statusItem.tooltip = `${version}: ${connection === 'ready' ? 'connected' : connection}\n${build.tooltip}`;
    statusItem.backgroundColor = build.state === 'red' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    statusItem.show();
  }

  const toDiagnostic = (d) => {
    const range = new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character);
    const diagnostic = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity] ?? vscode.DiagnosticSeverity.Error);
    diagnostic.source = d.source;
    if (d.code) diagnostic.code = d.code;
    return diagnostic;
  };

  function showBuild(daemonRoot, status) {
    // The daemon names the canonical root; show its paths under the editor's root.
    const root = connectedRoot && sameDirectory(connectedRoot, daemonRoot) ? connectedRoot : daemonRoot;
    build = summarize(status);
    renderStatusItem();
    controller.setBuild(build);
    if (build.state === 'running') return; // the previous run's diagnostics stay until this one ends
    diagnostics.clear();
    if (!config().get('buildDiagnostics', true)) return;
    for (const [file, list] of diagnosticsByFile(root, status)) diagnostics.set(vscode.Uri.file(file), list.map(toDiagnostic));
  }

  subscriptions.push(rpc.onNotification('build/statusChanged', (params) => {
    if (!params || !params.status || !connectedRoot || !sameDirectory(connectedRoot, params.workspaceRoot)) return;
    showBuild(params.workspaceRoot, params.status);
  }));
  rpc.on('state', () => renderStatusItem());
  rpc.on('ready', async (info, { reconnected }) => {
    renderStatusItem();
    if (reconnected) log('info', `reconnected to aid ${info.serverVersion} (generation ${info.generation})`);
    if (!connectedRoot) return;
    try {
      const result = await rpc.request('build/status', { workspaceRoot: connectedRoot });
      showBuild(result.workspaceRoot, result.status);
    } catch (error) {
      log('warning', `build/status: ${error.message}`);
    }
  });

  // ---- context keys for keybindings and menus ----

  const setContext = (key, value) => vscode.commands.executeCommand('setContext', key, value);
  const updateContext = () => {
    setContext('aid.busy', session.busy);
    setContext('aid.hasProposal', session.pendingProposalIds().length > 0);
  };
  for (const event of ['turn', 'answer', 'error', 'cancelled', 'decided']) session.on(event, updateContext);

  // ---- commands ----

  const command = (id, handler) => subscriptions.push(vscode.commands.registerCommand(id, async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      log('error', `${id}: ${error.message}`);
      vscode.window.showErrorMessage(`Aid: ${error.message}`);
      return undefined;
    }
  }));

  command('aid.ask', async (prompt, mode) => {
    if (typeof prompt !== 'string' || !prompt.trim()) {
      prompt = await vscode.window.showInputBox({ title: 'Aid: Ask', prompt: 'Describe the change', placeHolder: 'e.g. make greet() say "Hi"', ignoreFocusOut: true });
      if (!prompt || !prompt.trim()) return undefined;
    }
    await revealSidebar();
    return controller.handleMessage({ type: 'ask', prompt, mode: mode === 'chat' ? 'chat' : 'edit' });
  });
  command('aid.apply', async (proposalId) => {
    const ids = typeof proposalId === 'string' ? [proposalId] : session.pendingProposalIds();
    if (!ids.length) return vscode.window.showInformationMessage('Aid: no proposal to apply.');
    const results = [];
    for (const id of ids) results.push(await session.apply(id));
    const files = results.flatMap((r) => r.paths);
    vscode.window.setStatusBarMessage(`Aid: applied ${files.join(', ')}`, 4000);
    return results;
  });
  command('aid.reject', async (proposalId) => {
    const ids = typeof proposalId === 'string' ? [proposalId] : session.pendingProposalIds();
    if (!ids.length) return vscode.window.showInformationMessage('Aid: no proposal to reject.');
    for (const id of ids) await session.reject(id);
    return ids;
  });
  command('aid.cancel', () => session.cancel());
  command('aid.newConversation', () => controller.handleMessage({ type: 'newConversation' }));
  command('aid.restartDaemon', async () => {
    if (rpc.state !== 'ready') {
      await rpc.start(); // starts the daemon when none runs
      return vscode.window.showInformationMessage(`Aid: connected to aid ${rpc.serverInfo.serverVersion}.`);
    }
    const before = rpc.serverInfo.generation;
    const answer = await rpc.request('daemon/restart', {}, { timeoutMs: 10000 });
    const info = await new Promise((resolve, reject) => {
      const timeoutMs = config().get('connectTimeoutMs', 5000) * 3;
      const timer = setTimeout(() => {
        rpc.removeListener('ready', onReady);
        reject(new Error(`the daemon did not come back within ${timeoutMs} ms; see \`aid logs\``));
      }, timeoutMs);
      function onReady(ready) {
        clearTimeout(timer);
        resolve(ready);
      }
      rpc.once('ready', onReady);
    });
    vscode.window.showInformationMessage(`Aid: the daemon restarted (generation ${before} → ${info.generation}${answer.inFlightRequests ? `, ${answer.inFlightRequests} requests were in flight` : ''}).`);
    return info;
  });
  command('aid.showStatus', async () => {
    const status = await rpc.request('daemon/status', {}, { timeoutMs: 5000 });
    output.appendLine(JSON.stringify(status, null, 2));
    const line = `aid ${status.version} (protocol ${status.protocolVersion}), pid ${status.pid}, generation ${status.generation}, ${status.connections} connection(s); ${build.text}`;
    const choice = await vscode.window.showInformationMessage(`Aid: ${line}`, 'Show Details');
    if (choice === 'Show Details') output.show(true);
    return status;
  });

  // ---- settings and workspace changes ----

  subscriptions.push(vscode.workspace.onDidChangeConfiguration((event) => {
    if (['aid.executable', 'aid.socketPath', 'aid.autoStart'].some((key) => event.affectsConfiguration(key))) {
      log('info', 'the connection settings changed; reconnecting');
      rpc.dropConnection();
    }
    if (event.affectsConfiguration('aid.buildDiagnostics') && !config().get('buildDiagnostics', true)) diagnostics.clear();
  }));
  subscriptions.push(vscode.workspace.onDidChangeWorkspaceFolders(() => {
    if (workspaceRoot() !== connectedRoot) rpc.dropConnection(); // initialize again with the new root
  }));

  renderStatusItem();
  rpc.start().catch((error) => log('error', error.message));

  // What tests and the benchmark reach through the extension's exports.
  return { rpc, session, controller, diagnostics, statusItem, editorHost };
}

function deactivate() {}

function readVersion(extensionPath) {
  try {
    return JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}

function sameDirectory(a, b) {
  if (!a || !b) return false;
  if (a === b) return true;
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

module.exports = { activate, deactivate };
