'use strict';
// Headless Chromium driven over the DevTools protocol, with node's WebSocket (node 20 needs
// --experimental-websocket, which test/run passes).

const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

class CdpSession {
  constructor(socket) {
    this.socket = socket;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Map();
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(typeof event.data === 'string' ? event.data : Buffer.from(event.data).toString('utf8'));
      if (message.id !== undefined) {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message}`));
        else pending.resolve(message.result);
      } else if (message.method) {
        for (const listener of this.listeners.get(message.method) || []) listener(message.params);
      }
    });
  }

  send(method, params = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Resolves with the params of the next event `method`. */
  once(method, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${method}`)), timeoutMs);
      const listener = (params) => {
        clearTimeout(timer);
        this.listeners.get(method).delete(listener);
        resolve(params);
      };
      if (!this.listeners.has(method)) this.listeners.set(method, new Set());
      this.listeners.get(method).add(listener);
    });
  }

  /** Evaluates `expression` in the page (awaiting promises); returns its value. */
  async evaluate(expression) {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.exception ? exceptionDetails.exception.description : exceptionDetails.text}`);
    return result.value;
  }

  close() {
    this.socket.close();
  }
}

/**
 * Starts headless Chromium with a remote-debugging port and connects to its first page.
 * Resolves with {page: CdpSession, close(): Promise}.
 */
async function launchChromium({ executable = process.env.CHROMIUM || 'chromium', width = 400, height = 800 } = {}) {
  if (typeof WebSocket === 'undefined') throw new Error('no WebSocket in this node: run with --experimental-websocket (test/run does)');
  const profile = fs.mkdtempSync(path.join(process.env.AID_TEST_DIR || os.tmpdir(), 'aid-chromium-'));
  const args = [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check',
    '--disable-extensions', '--hide-scrollbars', '--force-color-profile=srgb',
    `--user-data-dir=${profile}`, '--remote-debugging-port=0', `--window-size=${width},${height}`, 'about:blank',
  ];
  // Its own process group, so that closing ends Chromium's helper processes too.
  const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
    }
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  };
  try {
    const browserUrl = await new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`chromium did not start within 20 s: ${output}`)), 20000);
      child.on('error', (error) => { clearTimeout(timer); reject(new Error(`cannot run ${executable}: ${error.message}`)); });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`chromium exited (${code}): ${output}`)); });
      child.stderr.on('data', (chunk) => {
        output += chunk;
        const match = /DevTools listening on (ws:\/\/[^\s]+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const { host } = new URL(browserUrl);
    const targets = await (await fetch(`http://${host}/json/list`)).json();
    const target = targets.find((t) => t.type === 'page');
    if (!target) throw new Error('chromium has no page');
    const socket = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', () => reject(new Error('cannot connect to the page over the DevTools protocol')), { once: true });
    });
    const page = new CdpSession(socket);
    return {
      page,
      close() {
        page.close();
        return close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

module.exports = { launchChromium, CdpSession };
