'use strict';
// What the end-to-end tests share: the harness's environment (test/run sources
// editors/test-support/harness.sh), waiting on events and conditions with timeouts, the fake
// model's answers, and the daemon's command line.

const fs = require('fs');
const { execFile } = require('child_process');

function requireEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through editors/vscode/test/run`);
  return value;
}

const env = {
  get aidBin() { return requireEnv('AID_BIN'); },
  get socket() { return requireEnv('AID_SOCKET'); },
  get workspace() { return requireEnv('AID_TEST_WORKSPACE'); },
  get answersFile() { return requireEnv('AID_FAKE_ANSWERS'); },
  get fakeUrl() { return requireEnv('AID_FAKE_URL'); },
  get stateDir() { return requireEnv('AID_STATE_DIR'); },
};

/** Resolves with the arguments of the first `event` of `emitter` that passes `predicate`. */
function waitForEvent(emitter, event, predicate = () => true, timeoutMs = 10000, what = event) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.removeListener(event, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    function listener(...args) {
      let ok;
      try {
        ok = predicate(...args);
      } catch (error) {
        ok = false;
      }
      if (!ok) return;
      clearTimeout(timer);
      emitter.removeListener(event, listener);
      resolve(args);
    }
    emitter.on(event, listener);
  });
}

/** Resolves when `condition()` is truthy (checked every 10 ms), with its value. */
async function waitUntil(condition, timeoutMs = 10000, what = 'a condition') {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The request bodies the fake model received so far. */
async function fakeRequests() {
  const response = await fetch(`${env.fakeUrl}/requests`);
  return response.json();
}

/**
 * Makes the next model requests get `answers` in order (the last one answers every further
 * request). The fake answers request N with element N of its file, so the requests already
 * made are skipped with fillers.
 */
async function scriptAnswers(answers) {
  const seen = (await fakeRequests()).length;
  const fillers = new Array(seen).fill('(an earlier request)');
  fs.writeFileSync(env.answersFile, JSON.stringify([...fillers, ...answers]));
}

/** Runs the aid command line; resolves with its stdout. */
function aid(...args) {
  return new Promise((resolve, reject) => {
    execFile(env.aidBin, args, { timeout: 20000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`aid ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Runs a read-only SQL query on the daemon's database; resolves with rows (JSON). */
function queryState(sql) {
  return new Promise((resolve, reject) => {
    execFile('sqlite3', ['-readonly', '-json', `${env.stateDir}/aid.sqlite`, sql], { timeout: 10000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`sqlite3 failed: ${stderr || error.message}`));
      else resolve(stdout.trim() ? JSON.parse(stdout) : []);
    });
  });
}

/** A model answer holding a unified diff of `file` (hunks given line by line, `@@` included). */
function diffAnswer(intro, file, lines) {
  return `${intro}\n\n\`\`\`diff\n--- a/${file}\n+++ b/${file}\n${lines.join('\n')}\n\`\`\`\n`;
}

module.exports = { env, waitForEvent, waitUntil, fakeRequests, scriptAnswers, aid, queryState, diffAnswer };
