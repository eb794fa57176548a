'use strict';
// Time from the user's Ask (the sidebar's `ask` message reaching the extension) to the first
// streamed character posted to the webview (webview.postMessage of the first `delta`), against
// the daemon's own time to first token in the same run (the result's timings.firstTokenMs, from
// the daemon reading the request). The difference is what the client and the socket add.
// Also split out the client's own work: Ask -> request written to the socket, and first delta
// frame read from the socket -> postMessage; and the socket's floor in the same run (the round
// trip of a request the daemon refuses at once).
//
// Run through bench/run (it sources the test harness for a private daemon and the fake model):
//   bench/run [--runs 50] [--warmup 3] [--mode edit|chat] [--json]

const path = require('path');
const { performance } = require('perf_hooks');
const { createFakeVscode, activateExtension } = require('../test/support/fake-vscode');
const { waitForEvent } = require('../test/support/env');

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const runs = Number(option('runs', '50'));
const warmup = Number(option('warmup', '3'));
const mode = option('mode', 'edit');
const asJson = process.argv.includes('--json');

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

async function main() {
  const workspace = process.env.AID_TEST_WORKSPACE;
  const fake = createFakeVscode({ workspaceFolder: workspace, settings: { 'aid.executable': process.env.AID_BIN } });
  const document = fake.test.openDocument(path.join(workspace, 'greet.py'), 'python');
  fake.test.showDocument(document, 1, 4);
  const extension = activateExtension(fake, path.resolve(__dirname, '..'));
  const { rpc } = extension.api;
  if (rpc.state !== 'ready') await waitForEvent(rpc, 'ready', () => true, 15000, 'the connection');
  const view = fake.test.resolveView('aid.sidebar');
  await view.fromWebview({ type: 'ready' });

  // Instrument the socket boundary: when the request is written, when the first delta is read.
  const method = mode === 'chat' ? 'chat/send' : 'edit/propose';
  const deltaMethod = mode === 'chat' ? 'chat/delta' : 'edit/delta';
  let sentAt = 0;
  let deltaReadAt = 0;
  const write = rpc.write.bind(rpc);
  rpc.write = (conn, message) => {
    if (message.method === method) sentAt = performance.now();
    return write(conn, message);
  };
  const receive = rpc.receive.bind(rpc);
  rpc.receive = (conn, message) => {
    if (message.method === deltaMethod && !deltaReadAt) deltaReadAt = performance.now();
    return receive(conn, message);
  };

  const samples = [];
  for (let i = 0; i < warmup + runs; i++) {
    sentAt = 0;
    deltaReadAt = 0;
    const start = view.posted.length;
    const askedAt = performance.now();
    await view.fromWebview({ type: 'ask', prompt: `Say Hi instead of Hello (${i})`, mode });
    const posted = view.posted.slice(start);
    const firstDelta = posted.find((p) => p.message.type === 'delta');
    const answer = posted.find((p) => p.message.type === 'answer');
    if (!firstDelta || !answer) throw new Error(`run ${i}: no stream or no answer (${posted.map((p) => p.message.type).join(',')})`);
    const firstTokenMs = answer.message.turn.timings && answer.message.turn.timings.firstTokenMs;
    if (typeof firstTokenMs !== 'number') throw new Error(`run ${i}: the result has no timings.firstTokenMs`);
    if (i < warmup) continue;
    const clientMs = firstDelta.at - askedAt;
    samples.push({
      clientMs,
      daemonFirstTokenMs: firstTokenMs,
      addedMs: clientMs - firstTokenMs,
      beforeSendMs: sentAt - askedAt,
      afterReadMs: firstDelta.at - deltaReadAt,
    });
  }
  // The floor in the same run: the round trip of a request the daemon refuses at once
  // (-32601), i.e. the socket and the daemon's framing and dispatch, with no work.
  const floor = [];
  for (let i = 0; i < warmup + runs; i++) {
    const started = performance.now();
    await rpc.request('bench/ping', {}).catch(() => {});
    if (i >= warmup) floor.push(performance.now() - started);
  }
  samples.forEach((sample, i) => { sample.floorRoundTripMs = floor[i]; });
  extension.deactivate();

  const summary = {};
  for (const key of Object.keys(samples[0])) {
    const values = samples.map((s) => s[key]);
    summary[key] = { p50: percentile(values, 50), p90: percentile(values, 90), min: Math.min(...values), max: Math.max(...values) };
  }
  if (asJson) {
    console.log(JSON.stringify({ runs, warmup, mode, summary }));
  } else {
    const row = (label, key) => {
      const s = summary[key];
      console.log(`${label.padEnd(48)} p50 ${s.p50.toFixed(2).padStart(8)} ms   p90 ${s.p90.toFixed(2).padStart(8)} ms   min ${s.min.toFixed(2).padStart(8)}   max ${s.max.toFixed(2).padStart(8)}`);
    };
    console.log(`Ask -> first streamed character posted to the webview (${mode} mode, ${runs} runs after ${warmup} warm-up)`);
    row('client: Ask -> first delta postMessage', 'clientMs');
    row('daemon: timings.firstTokenMs', 'daemonFirstTokenMs');
    row('added by client + socket (difference per run)', 'addedMs');
    row('  of which: Ask -> request written', 'beforeSendMs');
    row('  of which: first delta read -> postMessage', 'afterReadMs');
    row('floor: round trip of a refused request', 'floorRoundTripMs');
    const target = summary.addedMs.p50 <= 5 ? 'within' : 'OVER';
    console.log(`target: the client adds at most 5 ms at p50: ${target} (${summary.addedMs.p50.toFixed(2)} ms)`);
  }
}

main().catch((error) => {
  console.error(`bench: ${error.stack || error.message}`);
  process.exit(1);
});
