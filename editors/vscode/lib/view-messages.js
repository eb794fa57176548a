'use strict';
// The messages between the sidebar webview (media/sidebar.js) and the extension. Every message
// is a plain object with a `type`; anything else is ignored (and logged) by the receiver.
//
// Webview -> extension
//   {type: 'ready'}                                   the view (re)loaded; answer with `restore`
//   {type: 'ask', prompt: string, mode: 'edit'|'chat'} ask the daemon
//   {type: 'cancel'}                                  cancel the streaming answer
//   {type: 'openDiff', proposalId, path}              show the proposed file in the diff editor
//   {type: 'apply', proposalId, paths?: string[]}     apply the proposal (all files, or these)
//   {type: 'reject', proposalId}                      reject the proposal
//   {type: 'newConversation'}                         forget the chat history
//
// Extension -> webview
//   {type: 'restore', state: {turns, connection, build}}  the whole state (after `ready`)
//   {type: 'connection', connection: {state, serverVersion?, generation?, message?}}
//   {type: 'build', build: {state, errors, warnings, text, tooltip}}
//   {type: 'turn', turn}                              a question was asked (turn.text is '')
//   {type: 'delta', turnId, text}                     append text to the turn's answer
//   {type: 'reset', turnId}                           drop the answer so far (repair round, resend)
//   {type: 'answer', turn}                            the finished turn with its proposals
//   {type: 'turnError', turnId, message}              the turn failed
//   {type: 'cancelled', turnId}                       the turn was cancelled
//   {type: 'proposal', proposal}                      a proposal changed (applied, rejected)
//   {type: 'notice', level: 'info'|'error', message}  a message for the user
//   {type: 'focusPrompt', prompt?: string}            focus the prompt box (Aid: Ask)
//
// A turn is {turnId, mode, prompt, text, status: 'streaming'|'done'|'error'|'cancelled',
// error?, model?, timings?, applyError?, proposals: [proposal]}; a proposal is {proposalId,
// applies, applyError?, repaired, outcome: null|'accepted'|'partial'|'rejected', diff,
// files: [{path, oldPath?, status, added, removed}]}.

const FROM_VIEW = {
  ready: {},
  ask: { prompt: 'string', mode: 'mode' },
  cancel: {},
  openDiff: { proposalId: 'string', path: 'string' },
  apply: { proposalId: 'string', paths: 'paths?' },
  reject: { proposalId: 'string' },
  newConversation: {},
};

/** Whether `message` is a well-formed webview -> extension message. */
function validFromView(message) {
  if (!message || typeof message !== 'object' || typeof message.type !== 'string') return false;
  const fields = FROM_VIEW[message.type];
  if (!fields || !Object.prototype.hasOwnProperty.call(FROM_VIEW, message.type)) return false;
  for (const [name, kind] of Object.entries(fields)) {
    const value = message[name];
    if (kind === 'string' && (typeof value !== 'string' || value.length > 100000)) return false;
    if (kind === 'mode' && value !== 'edit' && value !== 'chat') return false;
    if (kind === 'paths?' && value !== undefined && !(Array.isArray(value) && value.every((p) => typeof p === 'string'))) return false;
  }
  return true;
}

module.exports = { validFromView, FROM_VIEW_TYPES: Object.keys(FROM_VIEW) };
