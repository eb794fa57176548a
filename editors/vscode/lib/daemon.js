'use strict';
// Reaching the daemon: connect to its socket; when nothing listens there (no file, or the
// connection is refused), start `aid daemon` (it detaches, and of several concurrent starts
// exactly one daemon wins) and retry the connect with a short back-off for a few seconds.

const net = require('net');
const childProcess = require('child_process');

/** Errors of `connect` that mean "no daemon listens there". */
const ABSENT = new Set(['ENOENT', 'ECONNREFUSED']);

/** Connects to the Unix socket at `path`; rejects with the system error (err.code). */
function connectSocket(path) {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path });
    const fail = (error) => {
      socket.destroy();
      reject(error);
    };
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.removeListener('error', fail);
      resolve(socket);
    });
  });
}

/**
 * Starts `executable daemon`, detached from the editor. Resolves once the process is spawned
 * (not when the daemon is ready; the caller retries its connect); rejects when the executable
 * cannot be run at all, e.g. ENOENT for a wrong `aid.executable`.
 */
function startDaemon({ executable, env = process.env, spawn = childProcess.spawn, log = () => {} }) {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(executable, ['daemon'], { detached: true, stdio: 'ignore', env });
    } catch (error) {
      reject(error);
      return;
    }
    child.once('error', (error) => reject(new Error(`cannot run ${executable}: ${error.message}; set aid.executable to the aid binary`)));
    child.once('spawn', () => {
      log(`started ${executable} daemon (launcher pid ${child.pid})`);
      child.unref();
      resolve(child);
    });
  });
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Connects to the daemon, starting it when none answers (with `autoStart`), and retries for
 * `timeoutMs`. Resolves with a connected socket; rejects with an Error saying what to fix.
 */
async function connectOrStart({
  socketPath,
  executable = 'aid',
  autoStart = true,
  timeoutMs = 5000,
  env = process.env,
  spawn,
  log = () => {},
}) {
  const deadline = Date.now() + timeoutMs;
  let started = false;
  let backoff = 10;
  let lastError;
  for (;;) {
    try {
      return await connectSocket(socketPath);
    } catch (error) {
      lastError = error;
      if (!ABSENT.has(error.code)) {
        throw new Error(`cannot connect to the aid daemon at ${socketPath}: ${error.message}`);
      }
    }
    if (!autoStart) {
      throw new Error(`no aid daemon listens at ${socketPath} (${lastError.code}); start it with \`aid daemon\` or enable aid.autoStart`);
    }
    if (!started) {
      started = true;
      await startDaemon({ executable, env, spawn, log });
    }
    if (Date.now() >= deadline) {
      throw new Error(`the aid daemon did not answer at ${socketPath} within ${timeoutMs} ms after \`${executable} daemon\` (${lastError.code}); see \`aid doctor\``);
    }
    await delay(Math.min(backoff, Math.max(0, deadline - Date.now())));
    backoff = Math.min(backoff * 2, 250);
  }
}

module.exports = { connectSocket, startDaemon, connectOrStart };
