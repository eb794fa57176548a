'use strict';
// The conversation with the daemon, editor-independent: ask (edit/propose or chat/send with the
// editor's state), the streamed answer, the proposals, applying them (to open buffers through
// the injected editor, to other files through edit/apply) and the feedback (edit/feedback).
//
// Turn states:    streaming -> done | error | cancelled
// Proposal fates: pending -> accepted | partial | rejected
//
// The editor is injected:
//   editor.collectState() -> {workspaceRoot, file?, cursor?, selection?, buffers: [{path, text}]}
//       (absolute paths; buffers are the modified, unsaved documents of the workspace)
//   editor.openBuffer(absPath) -> {text, dirty, version} | null when the file is not open
//   editor.applyBufferEdits([{path, edits, version}]) -> Promise<boolean>: one undoable change

const path = require('path');
const { EventEmitter } = require('events');
const { applyEdits, editStats, EditError } = require('./edits');
const { ErrorCodes } = require('./rpc');

/** Turns kept (with their proposals) for the view and for open diff. */
const MAX_TURNS = 100;

const METHODS = {
  edit: { request: 'edit/propose', delta: 'edit/delta', prompt: 'prompt' },
  chat: { request: 'chat/send', delta: 'chat/delta', prompt: 'message' },
};

class Session extends EventEmitter {
  /**
   * @param {object} options
   * @param {import('./rpc').RpcClient} options.rpc
   * @param {object} options.editor see the top of this file
   * @param {() => {model?: string, strategy?: string}} [options.settings]
   * @param {string} [options.clientTag] prefix of stream tokens
   * @param {(level: string, message: string) => void} [options.log]
   */
  constructor({ rpc, editor, settings = () => ({}), clientTag = `vscode-${process.pid}`, log = () => {} }) {
    super();
    this.rpc = rpc;
    this.editor = editor;
    this.settings = settings;
    this.clientTag = clientTag;
    this.log = log;
    this.turns = [];
    this.proposals = new Map();
    this.current = null; // the streaming turn
    this.conversationId = null;
    this.history = [];
    this.turnCount = 0;
    this.historyNeeded = false; // the daemon may have forgotten the conversation (it restarted)
    this.subscriptions = [
      rpc.onNotification('edit/delta', (params) => this.delta('edit', params)),
      rpc.onNotification('chat/delta', (params) => this.delta('chat', params)),
    ];
    this.onReady = (info, { reconnected }) => {
      if (reconnected) this.historyNeeded = true;
    };
    rpc.on('ready', this.onReady);
  }

  dispose() {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.rpc.removeListener('ready', this.onReady);
    this.cancel();
  }

  get busy() {
    return this.current !== null;
  }

  /**
   * Asks the daemon. `mode` is `edit` (edit/propose: one proposal) or `chat` (chat/send: a
   * conversation whose answers may hold proposals). Resolves with the finished turn; rejects
   * with the error (also emitted as `error`). Events, in order: `turn`, `delta`* / `reset`*,
   * then `answer`, `error` or `cancelled`.
   */
  async ask(prompt, { mode = 'edit' } = {}) {
    if (typeof prompt !== 'string' || !prompt.trim()) throw new Error('the prompt is empty');
    if (!METHODS[mode]) throw new Error(`unknown mode ${mode}`);
    if (this.current) this.cancel();
    const methods = METHODS[mode];
    const number = ++this.turnCount;
    const turn = {
      turnId: number,
      mode,
      prompt,
      text: '',
      round: 0,
      status: 'streaming',
      streamToken: `${this.clientTag}-${number}`,
      proposalIds: [],
      startedAt: Date.now(),
    };
    const abort = new AbortController();
    turn.abort = abort;
    this.current = turn;
    this.turns.push(turn);
    this.prune();
    this.emit('turn', turn);

    try {
      const state = await this.editor.collectState();
      if (abort.signal.aborted) throw cancelledError(turn);
      turn.workspaceRoot = state.workspaceRoot;
      const params = { [methods.prompt]: prompt, ...stateParams(state), streamToken: turn.streamToken };
      const { model, strategy } = this.settings() || {};
      if (model) params.model = model;
      if (strategy && mode === 'edit') params.strategy = strategy;
      if (mode === 'chat') {
        if (this.conversationId) params.conversationId = this.conversationId;
        // The daemon keeps conversations in memory only: after it restarted, it needs the turns
        // again (`history`); while it knows the id, sending them would only cost time.
        if (this.history.length && (this.historyNeeded || !this.conversationId)) params.history = this.history.slice();
      }
      const result = await this.rpc.request(methods.request, params, {
        signal: abort.signal,
        onResend: () => {
          // Sent again after a restart: a fresh answer comes, from a daemon that forgot the
          // conversation (the request's params are read again when it is sent).
          this.resetStream(turn);
          if (mode === 'chat' && this.history.length) params.history = this.history.slice();
        },
      });
      this.finish(turn, mode, result);
      return turn;
    } catch (error) {
      if (this.current === turn) this.current = null;
      if (error.code === ErrorCodes.RequestCancelled || abort.signal.aborted) {
        turn.status = 'cancelled';
        this.emit('cancelled', turn);
      } else {
        turn.status = 'error';
        turn.error = error.message;
        this.emit('error', turn, error);
      }
      throw error;
    }
  }

  /** Forgets the oldest turns (and their proposals) beyond MAX_TURNS. */
  prune() {
    while (this.turns.length > MAX_TURNS) {
      for (const id of this.turns.shift().proposalIds) this.proposals.delete(id);
    }
  }

  /** Cancels the streaming turn, if any (the daemon answers -32800 and stops the model). */
  cancel() {
    const turn = this.current;
    if (!turn) return false;
    turn.abort.abort();
    return true;
  }

  /** Starts a new conversation (chat mode); the next chat message has no history. */
  newConversation() {
    this.conversationId = null;
    this.history = [];
    this.historyNeeded = false;
  }

  delta(mode, params) {
    const turn = this.current;
    if (!turn || turn.mode !== mode || !params || params.token !== turn.streamToken) return;
    if (mode === 'edit' && typeof params.round === 'number' && params.round !== turn.round) {
      // The repair round starts a fresh answer.
      turn.round = params.round;
      this.resetStream(turn);
    }
    if (typeof params.text !== 'string' || params.text.length === 0) return;
    if (turn.firstDeltaAt === undefined) turn.firstDeltaAt = Date.now();
    turn.text += params.text;
    this.emit('delta', turn, params.text);
  }

  resetStream(turn) {
    if (turn.text === '') return;
    turn.text = '';
    this.emit('reset', turn);
  }

  finish(turn, mode, result) {
    if (this.current === turn) this.current = null;
    const proposals = mode === 'edit' ? (result.files && result.files.length ? [result] : []) : result.proposals || [];
    turn.status = 'done';
    turn.text = typeof result.text === 'string' ? result.text : turn.text;
    turn.model = result.model;
    turn.timings = result.timings;
    turn.applyError = mode === 'edit' && !result.applies ? result.applyError : undefined;
    for (const proposal of proposals) {
      this.proposals.set(proposal.proposalId, { proposal, turn, outcome: null, workspaceRoot: turn.workspaceRoot });
      turn.proposalIds.push(proposal.proposalId);
    }
    if (mode === 'chat') {
      this.conversationId = result.conversationId || this.conversationId;
      this.history.push({ role: 'user', content: turn.prompt }, { role: 'assistant', content: turn.text });
      this.historyNeeded = false;
    }
    this.emit('answer', turn);
  }

  /** The view of a proposal: what the sidebar shows. */
  proposalView(proposalId) {
    const record = this.proposals.get(proposalId);
    if (!record) return null;
    const { proposal, outcome } = record;
    return {
      proposalId,
      applies: proposal.applies !== false,
      applyError: proposal.applyError,
      repaired: Boolean(proposal.repaired),
      outcome,
      diff: proposal.diff || '',
      files: proposal.files.map((file) => ({
        path: file.path,
        oldPath: file.oldPath,
        status: file.status,
        ...editStats(file.edits || []),
      })),
    };
  }

  /** The proposed whole text of `relPath` (null when the proposal deletes it or is unknown). */
  proposedText(proposalId, relPath) {
    const record = this.proposals.get(proposalId);
    if (!record) return null;
    const file = record.proposal.files.find((f) => f.path === relPath);
    return file ? file.newText : null;
  }

  /** The undecided proposals of the latest turn that has any. */
  pendingProposalIds() {
    for (let i = this.turns.length - 1; i >= 0; i--) {
      const ids = this.turns[i].proposalIds;
      if (ids.length) return ids.filter((id) => this.proposals.get(id).outcome === null);
    }
    return [];
  }

  /**
   * Applies a proposal (all its files, or `paths`): open documents through the editor as one
   * undoable change, other files (and additions, deletions, renames) through edit/apply, after
   * a dry run so that nothing is written when anything would fail. Then sends edit/feedback:
   * `accepted`, or `partial` with the paths, `appliedBy` `editor` when buffers were edited.
   */
  async apply(proposalId, { paths } = {}) {
    const record = this.proposals.get(proposalId);
    if (!record) throw new Error(`no proposal ${proposalId}`);
    if (record.outcome) throw new Error(`the proposal was already ${record.outcome}`);
    const { proposal, workspaceRoot } = record;
    if (proposal.applies === false) throw new Error(`the proposal does not apply: ${proposal.applyError || 'unknown reason'}`);
    const selected = paths ? proposal.files.filter((f) => paths.includes(f.path)) : proposal.files;
    if (selected.length === 0) throw new Error('no file of the proposal was chosen');

    const bufferChanges = [];
    const diskPaths = [];
    for (const file of selected) {
      const absolute = path.join(workspaceRoot, file.path);
      const buffer = file.status === 'modified' ? await this.editor.openBuffer(absolute) : null;
      if (!buffer) {
        diskPaths.push(file.path);
        continue;
      }
      let result;
      try {
        result = applyEdits(buffer.text, file.edits);
      } catch (error) {
        if (error instanceof EditError) throw new Error(`${file.path} changed since the question was asked (${error.message}); ask again`);
        throw error;
      }
      if (typeof file.newText === 'string' && result !== file.newText) {
        throw new Error(`${file.path} changed since the question was asked; ask again`);
      }
      bufferChanges.push({ path: absolute, relativePath: file.path, edits: file.edits, version: buffer.version });
    }

    if (diskPaths.length) {
      await this.rpc.request('edit/apply', { proposalId, workspaceRoot, paths: diskPaths, dryRun: true });
    }
    if (bufferChanges.length && !(await this.editor.applyBufferEdits(bufferChanges))) {
      throw new Error('the editor refused the edit (a document changed meanwhile?); ask again');
    }
    if (diskPaths.length) {
      await this.rpc.request('edit/apply', { proposalId, workspaceRoot, paths: diskPaths });
    }

    const outcome = selected.length === proposal.files.length ? 'accepted' : 'partial';
    record.outcome = outcome;
    const appliedBy = bufferChanges.length ? 'editor' : 'daemon';
    const decided = { proposalId, outcome, paths: selected.map((f) => f.path), appliedBy, inBuffers: bufferChanges.map((c) => c.relativePath), onDisk: diskPaths };
    this.emit('decided', decided);
    await this.feedback({ proposalId, outcome, paths: outcome === 'partial' ? decided.paths : undefined, appliedBy });
    return decided;
  }

  /** Rejects a proposal (edit/feedback `rejected`). */
  async reject(proposalId, { comment } = {}) {
    const record = this.proposals.get(proposalId);
    if (!record) throw new Error(`no proposal ${proposalId}`);
    if (record.outcome) throw new Error(`the proposal was already ${record.outcome}`);
    record.outcome = 'rejected';
    const decided = { proposalId, outcome: 'rejected', paths: [] };
    this.emit('decided', decided);
    await this.feedback({ proposalId, outcome: 'rejected', comment });
    return decided;
  }

  async feedback(params) {
    const clean = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
    try {
      await this.rpc.request('edit/feedback', clean);
      this.emit('feedback', clean);
    } catch (error) {
      // The change stands; only the record misses it.
      this.log('warning', `edit/feedback for ${params.proposalId} failed: ${error.message}`);
      this.emit('feedbackFailed', clean, error);
    }
  }
}

/** The protocol's editor-state params from the editor's state (empty fields left out). */
function stateParams(state) {
  const params = { workspaceRoot: state.workspaceRoot };
  if (state.file) params.file = state.file;
  if (state.cursor) params.cursor = state.cursor;
  if (state.selection) params.selection = state.selection;
  if (state.buffers && state.buffers.length) params.buffers = state.buffers;
  return params;
}

function cancelledError(turn) {
  const error = new Error(`turn ${turn.turnId} was cancelled`);
  error.code = ErrorCodes.RequestCancelled;
  return error;
}

module.exports = { Session, stateParams };
