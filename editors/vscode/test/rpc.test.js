'use strict';
// The RPC client against a scripted in-process server, for what the real daemon cannot be made
// to do on cue: close a connection with a request unanswered, answer -32002 and keep the
// connection open, send a request to the client. (The real daemon's restart is in
// extension-flow.test.js.)
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { encode, FrameDecoder } = require('../lib/framing');
const { RpcClient, ErrorCodes } = require('../lib/rpc');
const { connectSocket } = require('../lib/daemon');
const { waitForEvent } = require('./support/env');

/** A server whose answers are scripted by `handle(message, connection)`. */
async function scriptedServer(handle) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aid-rpc-test-'));
  const socketPath = path.join(dir, 's.sock');
  const received = [];
  const connections = [];
  const server = net.createServer((socket) => {
    const connection = {
      number: connections.length + 1,
      socket,
      send: (message) => socket.write(encode(message)),
    };
    connections.push(connection);
    const decoder = new FrameDecoder((message) => {
      received.push({ connection: connection.number, message });
      server.emit('received', message, connection);
      handle(message, connection);
    });
    socket.on('data', (chunk) => decoder.push(chunk));
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    received,
    connections,
    server,
    close() {
      for (const c of connections) c.socket.destroy();
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const answerInitialize = (message, connection) => {
  if (message.method === 'initialize') {
    connection.send({ jsonrpc: '2.0', id: message.id, result: { serverName: 'aid', serverVersion: '9.9', pid: 1, generation: connection.number - 1 } });
    return true;
  }
  return false;
};

function client(server, options = {}) {
  return new RpcClient({ connect: () => connectSocket(server.socketPath), initializeParams: () => ({ clientName: 'test' }), ...options });
}

test('initialize first, then requests, notifications and cancellation', async (t) => {
  const server = await scriptedServer((message, connection) => {
    if (answerInitialize(message, connection)) return;
    if (message.method === 'echo') {
      connection.send({ jsonrpc: '2.0', method: 'note', params: { n: 1 } });
      connection.send({ jsonrpc: '2.0', id: message.id, result: message.params });
    }
    if (message.method === '$/cancelRequest') {
      connection.send({ jsonrpc: '2.0', id: message.params.id, error: { code: -32800, message: 'cancelled' } });
    }
    if (message.method === 'fails') {
      connection.send({ jsonrpc: '2.0', id: message.id, error: { code: -32602, message: 'params.x must be a string', data: { field: 'x' } } });
    }
  });
  const rpc = client(server);
  t.after(() => { rpc.dispose(); server.close(); });

  const notes = [];
  rpc.onNotification('note', (params) => notes.push(params));
  assert.deepEqual(await rpc.request('echo', { a: 1 }), { a: 1 });
  assert.equal(server.received[0].message.method, 'initialize');
  assert.deepEqual(notes, [{ n: 1 }], 'the notification arrived before the answer');
  assert.equal(rpc.serverInfo.serverVersion, '9.9');

  await assert.rejects(rpc.request('fails', {}), (error) => error.code === ErrorCodes.InvalidParams && error.data.field === 'x');

  const abort = new AbortController();
  const slow = rpc.request('slow', {}, { signal: abort.signal });
  await waitForEvent(server.server, 'received', (m) => m.method === 'slow');
  abort.abort();
  await assert.rejects(slow, (error) => error.code === ErrorCodes.RequestCancelled);
  assert.ok(server.received.some(({ message }) => message.method === '$/cancelRequest' && message.params.id === slow.id));
});

test('after the connection closes, the client reconnects, initializes again and re-sends only unanswered requests', async (t) => {
  let closeOnSlow = true;
  const server = await scriptedServer((message, connection) => {
    if (answerInitialize(message, connection)) return;
    if (message.method === 'fast') connection.send({ jsonrpc: '2.0', id: message.id, result: 'fast' });
    if (message.method === 'slow') {
      if (closeOnSlow) {
        closeOnSlow = false;
        connection.socket.destroy(); // the daemon restarts without answering
      } else {
        connection.send({ jsonrpc: '2.0', id: message.id, result: `slow on ${connection.number}` });
      }
    }
  });
  const rpc = client(server);
  t.after(() => { rpc.dispose(); server.close(); });

  assert.equal(await rpc.request('fast'), 'fast');
  const resent = [];
  const slow = rpc.request('slow', {}, { onResend: () => resent.push('slow') });
  const [info, { reconnected }] = await waitForEvent(rpc, 'ready', (i) => i.generation === 1);
  assert.equal(reconnected, true);
  assert.equal(info.generation, 1);
  assert.equal(await slow, 'slow on 2');
  assert.deepEqual(resent, ['slow']);

  const second = server.received.filter((r) => r.connection === 2).map((r) => r.message);
  assert.equal(second[0].method, 'initialize', 'initialize comes first on the new connection');
  assert.deepEqual(second.slice(1).map((m) => [m.method, m.id]), [['slow', slow.id]], 'only the unanswered request is sent again, with its id');
});

test('-32002 answers are held and sent again on the next connection', async (t) => {
  let restarting = true;
  const server = await scriptedServer((message, connection) => {
    if (answerInitialize(message, connection)) return;
    if (message.method === 'work') {
      if (restarting) {
        restarting = false;
        connection.send({ jsonrpc: '2.0', id: message.id, error: { code: -32002, message: 'the daemon is restarting' } });
        setImmediate(() => connection.socket.destroy());
      } else {
        connection.send({ jsonrpc: '2.0', id: message.id, result: connection.number });
      }
    }
  });
  const rpc = client(server);
  t.after(() => { rpc.dispose(); server.close(); });
  assert.equal(await rpc.request('work'), 2);
  assert.equal(server.received.filter((r) => r.message.method === 'work').length, 2);
});

test('after -32002 on a connection the daemon keeps open, the client closes it itself and re-sends', async (t) => {
  let first = true;
  const server = await scriptedServer((message, connection) => {
    if (answerInitialize(message, connection)) return;
    if (message.method === 'work') {
      if (first) {
        first = false;
        connection.send({ jsonrpc: '2.0', id: message.id, error: { code: -32002, message: 'restarting' } });
      } else {
        connection.send({ jsonrpc: '2.0', id: message.id, result: 'done' });
      }
    }
  });
  const rpc = client(server, { restartGraceMs: 50 });
  t.after(() => { rpc.dispose(); server.close(); });
  assert.equal(await rpc.request('work'), 'done');
  assert.equal(server.connections.length, 2);
});

test('a request cancelled while disconnected is never sent; requests to the client are refused', async (t) => {
  let heldInitialize = null;
  const server = await scriptedServer((message, connection) => {
    if (message.method === 'initialize' && connection.number === 2) {
      heldInitialize = () => answerInitialize(message, connection); // answered when the test says
      server.server.emit('held');
      return;
    }
    answerInitialize(message, connection);
  });
  const rpc = client(server);
  t.after(() => { rpc.dispose(); server.close(); });
  await rpc.start();
  server.connections[0].send({ jsonrpc: '2.0', id: 'srv-1', method: 'client/doSomething', params: {} });
  const [refusal] = await waitForEvent(server.server, 'received', (m) => m.id === 'srv-1');
  assert.equal(refusal.error.code, ErrorCodes.MethodNotFound);

  // The next connection's initialize is held, so a request waits in the client's queue.
  const held = waitForEvent(server.server, 'held');
  server.connections[0].socket.destroy();
  await held;
  assert.equal(rpc.state, 'connecting');
  const abort = new AbortController();
  const queued = rpc.request('never', {}, { signal: abort.signal });
  const kept = rpc.request('kept', {}, { timeoutMs: 5000 }).catch((error) => error);
  abort.abort();
  await assert.rejects(queued, (error) => error.code === ErrorCodes.RequestCancelled);
  heldInitialize();
  await waitForEvent(server.server, 'received', (m) => m.method === 'kept');
  assert.equal(server.received.filter((r) => r.message.method === 'never').length, 0);
});

test('a timed-out request is cancelled and rejected', async (t) => {
  const server = await scriptedServer((message, connection) => {
    answerInitialize(message, connection);
  });
  const rpc = client(server);
  t.after(() => { rpc.dispose(); server.close(); });
  const request = rpc.request('hang', {}, { timeoutMs: 50 });
  await assert.rejects(request, (error) => error.code === ErrorCodes.RequestTimedOut);
  await waitForEvent(server.server, 'received', (m) => m.method === '$/cancelRequest' && m.params.id === request.id);
});
