'use strict';
// The sidebar's controller, editor-independent: turns session, connection and build events into
// webview messages (lib/view-messages.js) and webview messages into session calls. The
// extension gives it `post` (webview.postMessage) and `actions` (what needs the editor's API).

const { validFromView } = require('./view-messages');

const KEPT_TURNS = 20;

class ViewController {
  /**
   * @param {object} options
   * @param {import('./session').Session} options.session
   * @param {import('./rpc').RpcClient} options.rpc
   * @param {{openDiff(proposalId: string, path: string): any}} options.actions
   * @param {(level: string, message: string) => void} [options.log]
   */
  constructor({ session, rpc, actions, log = () => {} }) {
    this.session = session;
    this.rpc = rpc;
    this.actions = actions;
    this.log = log;
    this.post = null;
    this.connection = { state: rpc.state };
    this.build = null;
    this.listeners = [];
    const on = (emitter, event, handler) => {
      emitter.on(event, handler);
      this.listeners.push(() => emitter.removeListener(event, handler));
    };
    on(session, 'turn', (turn) => this.send({ type: 'turn', turn: this.turnView(turn) }));
    on(session, 'delta', (turn, text) => this.send({ type: 'delta', turnId: turn.turnId, text }));
    on(session, 'reset', (turn) => this.send({ type: 'reset', turnId: turn.turnId }));
    on(session, 'answer', (turn) => this.send({ type: 'answer', turn: this.turnView(turn) }));
    on(session, 'error', (turn, error) => this.send({ type: 'turnError', turnId: turn.turnId, message: error.message }));
    on(session, 'cancelled', (turn) => this.send({ type: 'cancelled', turnId: turn.turnId }));
    on(session, 'decided', ({ proposalId }) => this.send({ type: 'proposal', proposal: session.proposalView(proposalId) }));
    on(rpc, 'state', (state, detail) => this.setConnection({ state, message: detail }));
    on(rpc, 'ready', (info) => this.setConnection({ state: 'ready', serverVersion: info.serverVersion, generation: info.generation }));
  }

  dispose() {
    for (const remove of this.listeners) remove();
    this.post = null;
  }

  /** The webview is there (or gone: null); messages go to `post` from now on. */
  attachView(post) {
    this.post = post;
  }

  send(message) {
    if (!this.post) return;
    try {
      const sent = this.post(message);
      if (sent && typeof sent.then === 'function') sent.then(undefined, (error) => this.log('warning', `postMessage failed: ${error.message}`));
    } catch (error) {
      this.log('warning', `postMessage failed: ${error.message}`);
    }
  }

  setConnection(connection) {
    if (connection.state === 'ready' && !connection.serverVersion && this.rpc.serverInfo) {
      connection.serverVersion = this.rpc.serverInfo.serverVersion;
      connection.generation = this.rpc.serverInfo.generation;
    }
    this.connection = connection;
    this.send({ type: 'connection', connection });
  }

  setBuild(summary) {
    this.build = summary;
    this.send({ type: 'build', build: summary });
  }

  notice(level, message) {
    this.send({ type: 'notice', level, message });
  }

  turnView(turn) {
    return {
      turnId: turn.turnId,
      mode: turn.mode,
      prompt: turn.prompt,
      text: turn.text,
      status: turn.status,
      error: turn.error,
      model: turn.model,
      timings: turn.timings,
      applyError: turn.applyError,
      proposals: turn.proposalIds.map((id) => this.session.proposalView(id)),
    };
  }

  snapshot() {
    return {
      turns: this.session.turns.slice(-KEPT_TURNS).map((turn) => this.turnView(turn)),
      connection: this.connection,
      build: this.build,
    };
  }

  /** A message from the webview. Returns a promise that settles when it was handled. */
  async handleMessage(message) {
    if (!validFromView(message)) {
      this.log('warning', `ignored a malformed message from the view: ${JSON.stringify(message).slice(0, 200)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.send({ type: 'restore', state: this.snapshot() });
        break;
      case 'ask':
        // Failures reach the view as `turnError`; nothing more to do here.
        await this.session.ask(message.prompt, { mode: message.mode }).catch(() => {});
        break;
      case 'cancel':
        this.session.cancel();
        break;
      case 'openDiff':
        await this.guard(() => this.actions.openDiff(message.proposalId, message.path));
        break;
      case 'apply':
        await this.guard(() => this.session.apply(message.proposalId, { paths: message.paths }));
        break;
      case 'reject':
        await this.guard(() => this.session.reject(message.proposalId));
        break;
      case 'newConversation':
        this.session.newConversation();
        this.notice('info', 'New conversation.');
        break;
      default:
        break;
    }
  }

  async guard(action) {
    try {
      return await action();
    } catch (error) {
      this.notice('error', error.message);
      return undefined;
    }
  }
}

module.exports = { ViewController };
