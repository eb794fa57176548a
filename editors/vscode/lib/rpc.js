'use strict';
// The JSON-RPC 2.0 client of the Aid daemon: LSP framing over a Unix socket, requests with
// cancellation (`$/cancelRequest`) and timeouts, notifications both ways, and a connection that
// survives daemon restarts: when the connection closes, the client reconnects, sends
// `initialize` again and re-sends every request that was never answered, plus those answered
// with -32002 (DaemonRestarting). Nothing is lost and nothing is answered twice.
//
// The socket comes from an injected `connect()` (lib/daemon.js connectOrStart in the editor),
// so tests can hand it any stream.

const { EventEmitter } = require('events');
const { encode, FrameDecoder } = require('./framing');

/** Error codes of the protocol (protocol/README.md), plus the client's own. */
const ErrorCodes = Object.freeze({
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  RequestCancelled: -32800,
  FrameTooLarge: -32001,
  DaemonRestarting: -32002,
  ConfigInvalid: -32003,
  WorkspaceUnknown: -32004,
  ClientTooSlow: -32005,
  ModelUnavailable: -32006,
  DiffDoesNotApply: -32007,
  PathOutsideWorkspace: -32008,
  ProposalUnknown: -32009,
  /** Client side: the daemon could not be reached again in time. */
  ConnectionLost: -32098,
  /** Client side: the request timed out (it was cancelled). */
  RequestTimedOut: -32097,
});

class RpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    if (data !== undefined) this.data = data;
  }
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * States: `idle` (never connected), `connecting` (connecting or initializing), `ready`,
 * `disconnected` (gave up reconnecting; the next request tries again), `closed` (disposed).
 *
 * Events: `state` (state, detail), `ready` (initialize result, {reconnected}), `notification`
 * (method, params), `resend` (id, method): a request will be sent again on the next connection.
 */
class RpcClient extends EventEmitter {
  /**
   * @param {object} options
   * @param {() => Promise<import('net').Socket>} options.connect
   * @param {object | (() => object)} options.initializeParams sent with every `initialize`
   * @param {number} [options.reconnectTimeoutMs] give up reconnecting after this long
   * @param {number} [options.restartGraceMs] after a -32002, close the connection ourselves
   *   if the daemon has not closed it within this long
   * @param {(level: string, message: string) => void} [options.log]
   */
  constructor({ connect, initializeParams, reconnectTimeoutMs = 10000, restartGraceMs = 3000, log = () => {} }) {
    super();
    this.connect = connect;
    this.initializeParams = initializeParams;
    this.reconnectTimeoutMs = reconnectTimeoutMs;
    this.restartGraceMs = restartGraceMs;
    this.log = log;
    this.state = 'idle';
    /** The last `initialize` result: serverVersion, protocolVersion, pid, generation, ... */
    this.serverInfo = null;
    this.nextId = 1;
    /** id -> entry, in the order requests were made (re-sends keep their place). */
    this.pending = new Map();
    this.handlers = new Map();
    this.conn = null;
    this.connecting = null;
    this.connections = 0;
  }

  /** Connects (once) and resolves with the `initialize` result. */
  start() {
    if (this.state === 'ready') return Promise.resolve(this.serverInfo);
    return this.ensureConnection();
  }

  /**
   * Sends a request; resolves with its result or rejects with an RpcError. The promise has an
   * `id` property. Options: `signal` (an AbortSignal: aborting sends `$/cancelRequest`),
   * `timeoutMs` (then cancels and rejects with RequestTimedOut), `onResend()` (called when the
   * request will be sent again after a daemon restart, e.g. to drop a partial stream).
   */
  request(method, params, options = {}) {
    if (this.state === 'closed') return Promise.reject(new RpcError(ErrorCodes.ConnectionLost, 'the client is closed'));
    const id = this.nextId++;
    let entry;
    const promise = new Promise((resolve, reject) => {
      entry = { id, method, params, resolve, reject, sentOn: null, cancelled: false, options, cleanup: [] };
    });
    promise.id = id;
    this.pending.set(id, entry);
    const { signal, timeoutMs } = options;
    if (signal) {
      if (signal.aborted) {
        queueMicrotask(() => this.cancel(id));
      } else {
        const onAbort = () => this.cancel(id);
        signal.addEventListener('abort', onAbort, { once: true });
        entry.cleanup.push(() => signal.removeEventListener('abort', onAbort));
      }
    }
    if (timeoutMs > 0) {
      const timer = setTimeout(() => {
        const sent = entry.sentOn && entry.sentOn === this.conn;
        this.settle(entry, new RpcError(ErrorCodes.RequestTimedOut, `${method} did not answer within ${timeoutMs} ms`));
        if (sent) this.notify('$/cancelRequest', { id });
      }, timeoutMs);
      entry.cleanup.push(() => clearTimeout(timer));
    }
    if (this.state === 'ready') this.send(entry);
    else this.ensureConnection().catch(() => {}); // failures reject the pending requests
    return promise;
  }

  /** Sends a notification (dropped when not connected: the client sends only cancellations). */
  notify(method, params) {
    if (this.conn && this.conn.ready) this.write(this.conn, { jsonrpc: '2.0', method, params });
  }

  /** Calls `handler(params)` for every notification `method`; returns a disposable. */
  onNotification(method, handler) {
    if (!this.handlers.has(method)) this.handlers.set(method, new Set());
    this.handlers.get(method).add(handler);
    return { dispose: () => this.handlers.get(method).delete(handler) };
  }

  /**
   * Cancels request `id`: `$/cancelRequest` when the daemon has it (it then answers -32800),
   * else it is dropped here and rejected with -32800 at once.
   */
  cancel(id) {
    const entry = this.pending.get(id);
    if (!entry) return;
    entry.cancelled = true;
    if (entry.sentOn && entry.sentOn === this.conn && !entry.sentOn.closed) {
      this.notify('$/cancelRequest', { id });
    } else {
      this.settle(entry, new RpcError(ErrorCodes.RequestCancelled, `${entry.method} was cancelled`));
    }
  }

  /** Closes the connection for good and fails every pending request. */
  dispose() {
    this.setState('closed');
    for (const entry of [...this.pending.values()]) {
      this.settle(entry, new RpcError(ErrorCodes.ConnectionLost, 'the client was closed'));
    }
    if (this.conn) this.conn.socket.destroy();
    this.conn = null;
  }

  /** Closes the current connection as if the daemon had (tests, and "reconnect now"). */
  dropConnection() {
    if (this.conn) this.conn.socket.destroy();
  }

  // ---- connection ----

  setState(state, detail) {
    if (this.state === state || this.state === 'closed') return;
    this.state = state;
    this.emit('state', state, detail);
  }

  ensureConnection() {
    if (this.state === 'closed') return Promise.reject(new RpcError(ErrorCodes.ConnectionLost, 'the client is closed'));
    if (!this.connecting) {
      this.connecting = this.connectLoop().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  async connectLoop() {
    this.setState('connecting');
    const deadline = Date.now() + this.reconnectTimeoutMs;
    let backoff = 20;
    let lastError;
    while (this.state !== 'closed') {
      try {
        const socket = await this.connect();
        if (this.state === 'closed') {
          socket.destroy();
          break;
        }
        const info = await this.initializeOn(socket);
        return info;
      } catch (error) {
        lastError = error;
        this.log('warning', `connecting to the daemon failed: ${error.message}`);
      }
      if (Date.now() >= deadline) break;
      await delay(backoff);
      backoff = Math.min(backoff * 2, 500);
    }
    const error = new RpcError(ErrorCodes.ConnectionLost, `cannot reach the aid daemon: ${lastError ? lastError.message : 'closed'}`);
    if (this.state !== 'closed') {
      this.setState('disconnected', error.message);
      for (const entry of [...this.pending.values()]) this.settle(entry, error);
    }
    throw error;
  }

  /** Attaches `socket`, sends `initialize` and waits for its answer; then flushes the queue. */
  initializeOn(socket) {
    const conn = { socket, ready: false, draining: false, closed: false, number: ++this.connections };
    this.conn = conn;
    const decoder = new FrameDecoder(
      (message) => this.receive(conn, message),
      (error) => {
        this.log('error', `bad frame from the daemon: ${error.message}`);
        if (error.fatal) socket.destroy();
      },
    );
    socket.on('data', (chunk) => decoder.push(chunk));
    socket.on('error', (error) => this.log('warning', `socket error: ${error.message}`));
    socket.on('close', () => this.connectionClosed(conn));

    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const params = typeof this.initializeParams === 'function' ? this.initializeParams() : this.initializeParams;
      const entry = {
        id, method: 'initialize', params, internal: true, sentOn: conn, cancelled: false, options: {}, cleanup: [],
        resolve: (info) => {
          const reconnected = this.serverInfo !== null;
          this.serverInfo = info;
          conn.ready = true;
          this.setState('ready');
          this.log('info', `connected to aid ${info.serverVersion} (pid ${info.pid}, generation ${info.generation})`);
          this.emit('ready', info, { reconnected });
          this.flush();
          resolve(info);
        },
        reject: (error) => {
          socket.destroy();
          reject(error);
        },
      };
      this.pending.set(id, entry);
      this.write(conn, { jsonrpc: '2.0', id, method: 'initialize', params });
    });
  }

  connectionClosed(conn) {
    conn.closed = true;
    if (this.conn !== conn) return;
    this.conn = null;
    for (const entry of [...this.pending.values()]) {
      if (entry.sentOn !== conn) continue;
      if (entry.internal) {
        this.settle(entry, new RpcError(ErrorCodes.ConnectionLost, 'the connection closed during initialize'));
      } else if (entry.cancelled) {
        this.settle(entry, new RpcError(ErrorCodes.RequestCancelled, `${entry.method} was cancelled`));
      } else {
        this.requeue(entry);
      }
    }
    if (this.state === 'closed') return;
    if (conn.ready) {
      this.log('info', 'the daemon closed the connection; reconnecting');
      this.ensureConnection().catch(() => {});
    }
  }

  /** Marks `entry` for sending on the next connection. */
  requeue(entry) {
    entry.sentOn = null;
    this.emit('resend', entry.id, entry.method);
    if (entry.options.onResend) entry.options.onResend();
  }

  flush() {
    for (const entry of this.pending.values()) {
      if (!entry.internal && !entry.sentOn) this.send(entry);
    }
  }

  send(entry) {
    const conn = this.conn;
    if (!conn || !conn.ready || conn.draining || conn.closed) return;
    entry.sentOn = conn;
    const message = { jsonrpc: '2.0', id: entry.id, method: entry.method };
    if (entry.params !== undefined) message.params = entry.params;
    this.write(conn, message);
  }

  write(conn, message) {
    if (conn.closed) return;
    conn.socket.write(encode(message));
  }

  // ---- incoming ----

  receive(conn, message) {
    if (Array.isArray(message)) {
      for (const item of message) this.receive(conn, item);
      return;
    }
    if (message === null || typeof message !== 'object') return;
    if (typeof message.method === 'string') {
      if (message.id !== undefined && message.id !== null) {
        // The daemon sends no requests today; answer as JSON-RPC requires.
        this.write(conn, { jsonrpc: '2.0', id: message.id, error: { code: ErrorCodes.MethodNotFound, message: `the client has no method ${message.method}` } });
        return;
      }
      const handlers = this.handlers.get(message.method);
      if (handlers) for (const handler of handlers) handler(message.params);
      this.emit('notification', message.method, message.params);
      return;
    }
    const entry = this.pending.get(message.id);
    if (!entry) {
      if (message.error) this.log('warning', `daemon error without a request: ${message.error.message}`);
      return;
    }
    if (message.error) {
      const { code, message: text, data } = message.error;
      if (code === ErrorCodes.DaemonRestarting && !entry.internal && !entry.cancelled) {
        // The daemon restarts: hold everything until the next connection, and send this again.
        this.log('info', `${entry.method} (${entry.id}) will be sent again: the daemon is restarting`);
        this.startDraining(conn);
        this.requeue(entry);
        return;
      }
      this.settle(entry, new RpcError(code, text, data));
    } else {
      this.settle(entry, null, message.result);
    }
  }

  startDraining(conn) {
    if (conn.draining) return;
    conn.draining = true;
    const timer = setTimeout(() => {
      if (!conn.closed) {
        this.log('warning', `the daemon did not close the connection within ${this.restartGraceMs} ms of restarting; reconnecting`);
        conn.socket.destroy();
      }
    }, this.restartGraceMs);
    timer.unref();
  }

  settle(entry, error, result) {
    if (this.pending.get(entry.id) !== entry) return;
    this.pending.delete(entry.id);
    for (const cleanup of entry.cleanup) cleanup();
    if (error) entry.reject(error);
    else entry.resolve(result);
  }
}

module.exports = { RpcClient, RpcError, ErrorCodes };
