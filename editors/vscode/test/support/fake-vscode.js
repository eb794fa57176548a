'use strict';
// A small stand-in for the `vscode` module: the parts of the API extension.js uses, with a
// document model that behaves like VS Code's where the tests look (a WorkspaceEdit is one undo
// step; positions past the end are clamped; saving clears isDirty). `install()` makes
// `require('vscode')` return it, so extension.js runs unchanged under node --test.

const fs = require('fs');
const Module = require('module');
const pathModule = require('path');
const { EventEmitter: NodeEmitter } = require('events');

class Position {
  constructor(line, character) {
    this.line = line;
    this.character = character;
  }
}

class Range {
  constructor(startLine, startCharacter, endLine, endCharacter) {
    if (startLine instanceof Position) {
      this.start = startLine;
      this.end = startCharacter;
    } else {
      this.start = new Position(startLine, startCharacter);
      this.end = new Position(endLine, endCharacter);
    }
  }
  get isEmpty() {
    return this.start.line === this.end.line && this.start.character === this.end.character;
  }
}

class Selection extends Range {
  constructor(anchor, active) {
    const forward = anchor.line < active.line || (anchor.line === active.line && anchor.character <= active.character);
    super(forward ? anchor : active, forward ? active : anchor);
    this.anchor = anchor;
    this.active = active;
  }
}

class Uri {
  constructor(scheme, path, query = '') {
    this.scheme = scheme;
    this.path = path;
    this.query = query;
  }
  get fsPath() {
    return this.path;
  }
  static file(path) {
    return new Uri('file', pathModule.resolve(path));
  }
  static from({ scheme, path = '', query = '' }) {
    return new Uri(scheme, path, query);
  }
  static joinPath(base, ...segments) {
    return new Uri(base.scheme, pathModule.posix.join(base.path, ...segments), base.query);
  }
  toString() {
    return `${this.scheme}://${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

class ThemeColor {
  constructor(id) {
    this.id = id;
  }
}

class Diagnostic {
  constructor(range, message, severity) {
    this.range = range;
    this.message = message;
    this.severity = severity;
  }
}

class WorkspaceEdit {
  constructor() {
    this.edits = [];
  }
  replace(uri, range, newText, metadata) {
    this.edits.push({ uri, range, newText, metadata });
  }
  insert(uri, position, newText) {
    this.replace(uri, new Range(position, position), newText);
  }
  delete(uri, range) {
    this.replace(uri, range, '');
  }
  get size() {
    return new Set(this.edits.map((e) => e.uri.toString())).size;
  }
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (listener) => {
      this.listeners.add(listener);
      return { dispose: () => this.listeners.delete(listener) };
    };
  }
  fire(value) {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose() {
    this.listeners.clear();
  }
}

/** An open document: text, version, dirty state and an undo stack of whole edits. */
class TextDocument {
  constructor(uri, text, languageId = 'plaintext') {
    this.uri = uri;
    this.text = text;
    this.savedText = text;
    this.version = 1;
    this.languageId = languageId;
    this.undoStack = [];
  }
  get isDirty() {
    return this.text !== this.savedText;
  }
  get fileName() {
    return this.uri.fsPath;
  }
  get lineCount() {
    return this.text.split('\n').length;
  }
  getText() {
    return this.text;
  }
  /** The offset of a position, clamped into the document as VS Code's model does. */
  offsetAt(position) {
    const lines = this.text.split('\n');
    const line = Math.min(Math.max(position.line, 0), lines.length - 1);
    let offset = 0;
    for (let i = 0; i < line; i++) offset += lines[i].length + 1;
    if (position.line > lines.length - 1) return this.text.length;
    return offset + Math.min(Math.max(position.character, 0), lines[line].length);
  }
  /** Edits typed by the user: one undo step each. */
  type(edits) {
    this.applyGroup(edits.map(({ range, newText }) => ({ range, newText })));
  }
  applyGroup(edits) {
    const spans = edits.map((e) => ({ start: this.offsetAt(e.range.start), end: this.offsetAt(e.range.end), newText: e.newText }));
    spans.sort((a, b) => a.start - b.start);
    for (let i = 1; i < spans.length; i++) {
      if (spans[i].start < spans[i - 1].end) throw new Error('overlapping edits');
    }
    this.undoStack.push(this.text);
    let text = this.text;
    for (let i = spans.length - 1; i >= 0; i--) text = text.slice(0, spans[i].start) + spans[i].newText + text.slice(spans[i].end);
    this.text = text;
    this.version++;
  }
  /** Undo: reverts the last edit group. */
  undo() {
    if (!this.undoStack.length) return false;
    this.text = this.undoStack.pop();
    this.version++;
    return true;
  }
  save() {
    fs.writeFileSync(this.uri.fsPath, this.text);
    this.savedText = this.text;
  }
}

/** A webview view as VS Code hands it to resolveWebviewView; `fromWebview` plays the page. */
function createWebviewView() {
  const received = new Set();
  const disposed = new Set();
  const view = {
    visible: true,
    shown: 0,
    posted: [],
    events: new NodeEmitter(),
    webview: {
      options: {},
      html: '',
      cspSource: 'https://fake.vscode-cdn.net',
      asWebviewUri: (uri) => new Uri('https', `/webview${uri.path}`),
      postMessage(message) {
        view.posted.push({ message, at: performance.now() });
        view.events.emit('message', message);
        return Promise.resolve(true);
      },
      onDidReceiveMessage(listener) {
        received.add(listener);
        return { dispose: () => received.delete(listener) };
      },
    },
    show() {
      view.shown++;
    },
    onDidDispose(listener) {
      disposed.add(listener);
      return { dispose: () => disposed.delete(listener) };
    },
    onDidChangeVisibility() {
      return { dispose() {} };
    },
    /** Sends `message` as the page would; resolves when the extension has handled it. */
    fromWebview(message) {
      return Promise.all([...received].map((listener) => listener(message)));
    },
    dispose() {
      for (const listener of disposed) listener();
    },
  };
  return view;
}

/** A fresh fake API. `state` lets tests set the workspace, settings and editors. */
function createFakeVscode({ workspaceFolder, settings = {} } = {}) {
  const commands = new Map();
  const contexts = new Map();
  const providers = new Map();
  const contentProviders = new Map();
  const collections = [];
  const messages = [];
  const executed = [];
  const configurationChanged = new EventEmitter();
  const foldersChanged = new EventEmitter();
  const statusItems = [];

  const folder = workspaceFolder ? { uri: Uri.file(workspaceFolder), name: pathModule.basename(workspaceFolder), index: 0 } : undefined;

  const vscode = {
    version: '1.95.0-fake',
    Position, Range, Selection, Uri, ThemeColor, Diagnostic, WorkspaceEdit, EventEmitter,
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    window: {
      activeTextEditor: undefined,
      createOutputChannel(name) {
        return { name, lines: [], appendLine(line) { this.lines.push(line); }, show() {}, dispose() {} };
      },
      createStatusBarItem(alignment, priority) {
        const item = { alignment, priority, text: '', tooltip: '', visible: false, show() { this.visible = true; }, hide() { this.visible = false; }, dispose() {} };
        statusItems.push(item);
        return item;
      },
      registerWebviewViewProvider(id, provider, options) {
        providers.set(id, { provider, options });
        return { dispose: () => providers.delete(id) };
      },
      showInformationMessage(message) { messages.push({ level: 'info', message }); return Promise.resolve(undefined); },
      showWarningMessage(message) { messages.push({ level: 'warning', message }); return Promise.resolve(undefined); },
      showErrorMessage(message) { messages.push({ level: 'error', message }); return Promise.resolve(undefined); },
      showInputBox() { return Promise.resolve(vscode.test.nextInput); },
      setStatusBarMessage(message) { messages.push({ level: 'status', message }); return { dispose() {} }; },
    },
    workspace: {
      workspaceFolders: folder ? [folder] : undefined,
      textDocuments: [],
      getWorkspaceFolder(uri) {
        return folder && (uri.fsPath === folder.uri.fsPath || uri.fsPath.startsWith(folder.uri.fsPath + pathModule.sep)) ? folder : undefined;
      },
      getConfiguration(section) {
        return {
          get(key, fallback) {
            const full = `${section}.${key}`;
            return Object.prototype.hasOwnProperty.call(settings, full) ? settings[full] : fallback;
          },
        };
      },
      onDidChangeConfiguration: configurationChanged.event,
      onDidChangeWorkspaceFolders: foldersChanged.event,
      async applyEdit(edit) {
        // One WorkspaceEdit: one undo group per document, all or nothing.
        const byDocument = new Map();
        for (const e of edit.edits) {
          const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === e.uri.toString());
          if (!document) return false;
          if (!byDocument.has(document)) byDocument.set(document, []);
          byDocument.get(document).push(e);
        }
        for (const [document, edits] of byDocument) document.applyGroup(edits);
        vscode.test.appliedEdits.push(edit);
        return true;
      },
      registerTextDocumentContentProvider(scheme, provider) {
        contentProviders.set(scheme, provider);
        return { dispose: () => contentProviders.delete(scheme) };
      },
    },
    languages: {
      createDiagnosticCollection(name) {
        const entries = new Map();
        const collection = {
          name,
          set(uri, diagnostics) { entries.set(uri.fsPath, { uri, diagnostics }); },
          delete(uri) { entries.delete(uri.fsPath); },
          clear() { entries.clear(); },
          get(uri) { const entry = entries.get(uri.fsPath); return entry ? entry.diagnostics : undefined; },
          forEach(callback) { for (const { uri, diagnostics } of entries.values()) callback(uri, diagnostics, collection); },
          dispose() { entries.clear(); },
          entries,
        };
        collections.push(collection);
        return collection;
      },
    },
    commands: {
      registerCommand(id, handler) {
        commands.set(id, handler);
        return { dispose: () => commands.delete(id) };
      },
      async executeCommand(id, ...args) {
        executed.push({ id, args });
        vscode.test.events.emit('executed', { id, args });
        if (id === 'setContext') {
          contexts.set(args[0], args[1]);
          return undefined;
        }
        if (id.endsWith('.focus') && providers.has(id.slice(0, -'.focus'.length))) {
          vscode.test.resolveView(id.slice(0, -'.focus'.length));
          return undefined;
        }
        const handler = commands.get(id);
        return handler ? handler(...args) : undefined;
      },
    },
    /** Test controls. */
    test: {
      commands, contexts, providers, contentProviders, collections, messages, executed, statusItems,
      appliedEdits: [],
      events: new NodeEmitter(),
      nextInput: undefined,
      views: new Map(),
      /** Opens `file` (its disk text) as a document; returns it. */
      openDocument(file, languageId) {
        const uri = Uri.file(file);
        let document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath);
        if (!document) {
          document = new TextDocument(uri, fs.readFileSync(file, 'utf8'), languageId);
          vscode.workspace.textDocuments.push(document);
        }
        return document;
      },
      /** Makes `document` the active editor with the cursor at `line`:`character`. */
      showDocument(document, line = 0, character = 0) {
        const cursor = new Position(line, character);
        vscode.window.activeTextEditor = { document, selection: new Selection(cursor, cursor) };
        return vscode.window.activeTextEditor;
      },
      /** Resolves the webview view `id` (as opening the sidebar does); returns the fake view. */
      resolveView(id) {
        if (vscode.test.views.has(id)) return vscode.test.views.get(id);
        const view = createWebviewView();
        vscode.test.views.set(id, view);
        providers.get(id).provider.resolveWebviewView(view, {}, { isCancellationRequested: false });
        return view;
      },
      /** The text of a virtual document, as the diff editor would read it. */
      readVirtual(uri) {
        return contentProviders.get(uri.scheme).provideTextDocumentContent(uri);
      },
      changeConfiguration(changes) {
        Object.assign(settings, changes);
        configurationChanged.fire({ affectsConfiguration: (key) => Object.keys(changes).some((k) => k === key || k.startsWith(`${key}.`)) });
      },
    },
  };
  return vscode;
}

/** Makes `require('vscode')` return `fake` (for the modules loaded after this call). */
function install(fake) {
  const load = Module._load;
  Module._load = function loadWithVscode(request, parent, isMain) {
    if (request === 'vscode') return fake;
    return load.call(this, request, parent, isMain);
  };
  return () => {
    Module._load = load;
  };
}

/** Loads extension.js fresh against `fake` and activates it; returns {api, context}. */
function activateExtension(fake, extensionPath) {
  const restore = install(fake);
  try {
    const main = require.resolve(pathModule.join(extensionPath, 'extension.js'));
    for (const key of Object.keys(require.cache)) {
      if (key.startsWith(extensionPath + pathModule.sep) && !key.includes(`${pathModule.sep}test${pathModule.sep}`)) delete require.cache[key];
    }
    const extension = require(main);
    const context = { subscriptions: [], extensionPath, extensionUri: Uri.file(extensionPath) };
    const api = extension.activate(context);
    return {
      api,
      context,
      deactivate() {
        for (const disposable of context.subscriptions.splice(0)) disposable.dispose();
        extension.deactivate();
      },
    };
  } finally {
    restore();
  }
}

module.exports = { createFakeVscode, install, activateExtension, TextDocument, Uri, Range, Position };
