'use strict';
// Where the daemon listens, found exactly as the daemon finds it (Sources/Daemon/AidPaths.swift):
// $AID_SOCKET, else $XDG_RUNTIME_DIR/aid/aid.sock, else /tmp/aid-$UID/aid.sock. Empty variables
// count as unset.

/**
 * @param {Record<string, string|undefined>} env
 * @param {number} uid
 * @returns {string}
 */
function defaultSocketPath(env = process.env, uid = process.getuid()) {
  if (env.AID_SOCKET) return env.AID_SOCKET;
  if (env.XDG_RUNTIME_DIR) return `${env.XDG_RUNTIME_DIR}/aid/aid.sock`;
  return `/tmp/aid-${uid}/aid.sock`;
}

/**
 * The socket to use: the `aid.socketPath` setting when given (a leading `~/` is the home
 * directory), else the daemon's own rule.
 */
function resolveSocketPath(setting, env = process.env, uid = process.getuid()) {
  const given = typeof setting === 'string' ? setting.trim() : '';
  if (!given) return defaultSocketPath(env, uid);
  if (given.startsWith('~/') && env.HOME) return env.HOME + given.slice(1);
  return given;
}

/**
 * The environment for a daemon started by the editor: the editor's own, plus AID_SOCKET when
 * the socket path was set explicitly, so the new daemon listens where the editor looks.
 */
function daemonEnvironment(socketPathSetting, env = process.env) {
  const given = typeof socketPathSetting === 'string' ? socketPathSetting.trim() : '';
  if (!given) return { ...env };
  return { ...env, AID_SOCKET: resolveSocketPath(given, env) };
}

module.exports = { defaultSocketPath, resolveSocketPath, daemonEnvironment };
