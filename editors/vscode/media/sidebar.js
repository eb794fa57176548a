// The Aid sidebar. It talks to the extension only with postMessage; the message set is in
// lib/view-messages.js. It renders the conversation (prompts, streamed answers, proposals with
// their files and diffs) and never inserts markup from messages: everything is text nodes.
// @ts-check
(function () {
  'use strict';

  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();

  /** @type {{turns: any[], connection: any, build: any, draft: string, mode: string}} */
  const state = Object.assign({ turns: [], connection: null, build: null, draft: '', mode: 'edit' }, vscode.getState() || {});

  const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const turnsEl = $('turns');
  const promptEl = /** @type {HTMLTextAreaElement} */ ($('prompt'));
  const modeEl = /** @type {HTMLSelectElement} */ ($('mode'));
  const askEl = /** @type {HTMLButtonElement} */ ($('ask'));
  const cancelEl = /** @type {HTMLButtonElement} */ ($('cancel'));
  const newConversationEl = /** @type {HTMLButtonElement} */ ($('new-conversation'));
  const noticeEl = $('notice');

  /** turnId -> the element showing its answer, for streaming. */
  const answerEls = new Map();

  function save() {
    vscode.setState({ turns: state.turns.slice(-20), connection: state.connection, build: state.build, draft: promptEl.value, mode: modeEl.value });
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---- rendering ----

  /** Renders Markdown-ish text: fenced code blocks (diffs coloured) and paragraphs. */
  function renderText(container, text) {
    container.textContent = '';
    const parts = text.split(/^(```[^\n]*\n?)/m);
    let fence = null;
    let code = null;
    for (const part of parts) {
      if (/^```/.test(part)) {
        if (fence === null) {
          fence = part.slice(3).trim();
          code = el('pre', 'code');
          if (fence) code.dataset.lang = fence;
          container.appendChild(code);
        } else {
          fence = null;
          code = null;
        }
        continue;
      }
      if (code) {
        appendCode(code, part, fence === 'diff' || fence === 'patch' || looksLikeDiff(part));
      } else if (part) {
        for (const paragraph of part.split(/\n{2,}/)) {
          if (paragraph.trim()) container.appendChild(renderParagraph(paragraph.replace(/\n$/, '')));
        }
      }
    }
  }

  /** A paragraph with `inline code` spans. */
  function renderParagraph(text) {
    const p = el('p', 'para');
    text.split(/(`[^`\n]+`)/).forEach((piece, i) => {
      if (i % 2 === 1) p.appendChild(el('code', 'inline', piece.slice(1, -1)));
      else if (piece) p.appendChild(document.createTextNode(piece));
    });
    return p;
  }

  function looksLikeDiff(text) {
    return /^(---|\+\+\+|@@) /m.test(text);
  }

  function appendCode(pre, text, diff) {
    if (!diff) {
      pre.appendChild(document.createTextNode(text));
      return;
    }
    for (const line of text.split(/(?<=\n)/)) {
      let kind = 'ctx';
      if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ') || line.startsWith('index ')) kind = 'meta';
      else if (line.startsWith('@@')) kind = 'hunk';
      else if (line.startsWith('+')) kind = 'add';
      else if (line.startsWith('-')) kind = 'del';
      pre.appendChild(el('span', `line ${kind}`, line));
    }
  }

  function statusLetter(status) {
    return { modified: 'M', added: 'A', deleted: 'D', renamed: 'R' }[status] || '?';
  }

  /** The part of a multi-file diff that concerns `path`. */
  function fileDiff(diff, path) {
    const sections = diff.split(/^(?=diff --git )/m);
    const found = sections.find((s) => s.includes(` b/${path}\n`) || s.startsWith(`diff --git a/${path} `));
    if (found) return found;
    return sections.length === 1 ? diff : '';
  }

  /** @param {boolean} answerShowsDiff the answer's text already shows the change as a diff */
  function renderProposal(proposal, answerShowsDiff) {
    const box = el('section', 'proposal');
    box.dataset.proposalId = proposal.proposalId;
    box.dataset.outcome = proposal.outcome || 'pending';

    const head = el('div', 'proposal-head');
    head.appendChild(el('span', 'proposal-title', proposal.files.length === 1 ? 'Proposed change' : `Proposed changes (${proposal.files.length} files)`));
    if (proposal.repaired) head.appendChild(el('span', 'tag', 'repaired'));
    box.appendChild(head);

    if (!proposal.applies) box.appendChild(el('p', 'error', `Does not apply: ${proposal.applyError || 'unknown reason'}`));

    const list = el('ul', 'files');
    for (const file of proposal.files) {
      const item = el('li', 'file');
      item.dataset.path = file.path;
      item.appendChild(el('span', `status status-${file.status}`, statusLetter(file.status)));
      const name = el('span', 'path', file.oldPath ? `${file.oldPath} → ${file.path}` : file.path);
      name.title = file.path;
      item.appendChild(name);
      const stats = el('span', 'stats');
      stats.appendChild(el('span', 'added', `+${file.added}`));
      stats.appendChild(el('span', 'removed', `−${file.removed}`));
      item.appendChild(stats);
      const open = el('button', 'link open-diff', 'open diff');
      open.type = 'button';
      open.dataset.action = 'openDiff';
      open.dataset.proposalId = proposal.proposalId;
      open.dataset.path = file.path;
      item.appendChild(open);
      list.appendChild(item);
      const diff = fileDiff(proposal.diff || '', file.path);
      if (diff) {
        const details = el('details', 'diff');
        details.open = !proposal.outcome && !answerShowsDiff;
        details.appendChild(el('summary', '', 'diff'));
        const pre = el('pre', 'code');
        appendCode(pre, diff, true);
        details.appendChild(pre);
        const holder = el('li', 'file-diff');
        holder.appendChild(details);
        list.appendChild(holder);
      }
    }
    box.appendChild(list);

    const actions = el('div', 'proposal-actions');
    if (proposal.outcome) {
      const labels = { accepted: 'Applied', partial: 'Partly applied', rejected: 'Rejected' };
      actions.appendChild(el('span', `outcome outcome-${proposal.outcome}`, labels[proposal.outcome] || proposal.outcome));
    } else {
      const apply = el('button', 'apply', 'Apply');
      apply.type = 'button';
      apply.dataset.action = 'apply';
      apply.dataset.proposalId = proposal.proposalId;
      apply.disabled = !proposal.applies;
      const reject = el('button', 'secondary reject', 'Reject');
      reject.type = 'button';
      reject.dataset.action = 'reject';
      reject.dataset.proposalId = proposal.proposalId;
      actions.appendChild(apply);
      actions.appendChild(reject);
    }
    box.appendChild(actions);
    return box;
  }

  function renderTurn(turn) {
    const article = el('article', 'turn');
    article.dataset.turnId = String(turn.turnId);
    article.dataset.status = turn.status;
    const prompt = el('div', 'prompt');
    prompt.appendChild(el('span', 'mode', turn.mode === 'chat' ? 'chat' : 'edit'));
    prompt.appendChild(el('span', 'prompt-text', turn.prompt));
    article.appendChild(prompt);

    const answer = el('div', 'answer');
    renderText(answer, turn.text || '');
    answerEls.set(turn.turnId, answer);
    article.appendChild(answer);

    if (turn.status === 'streaming') article.appendChild(el('div', 'working', 'answering…'));
    if (turn.status === 'error') article.appendChild(el('p', 'error', turn.error || 'failed'));
    if (turn.status === 'cancelled') article.appendChild(el('p', 'muted', 'cancelled'));
    if (turn.status === 'done' && turn.applyError && !(turn.proposals || []).length) article.appendChild(el('p', 'error', `No applicable change: ${turn.applyError}`));
    const answerShowsDiff = /^```(diff|patch)\s*$/m.test(turn.text || '');
    for (const proposal of turn.proposals || []) article.appendChild(renderProposal(proposal, answerShowsDiff));
    if (turn.status === 'done' && turn.model) {
      const meta = [turn.model];
      if (turn.timings && turn.timings.firstTokenMs != null) meta.push(`first token ${Math.round(turn.timings.firstTokenMs)} ms`);
      if (turn.timings && turn.timings.totalMs != null) meta.push(`total ${Math.round(turn.timings.totalMs)} ms`);
      article.appendChild(el('div', 'turn-meta', meta.join(' · ')));
    }
    return article;
  }

  function findTurn(turnId) {
    return state.turns.find((t) => t.turnId === turnId);
  }

  function replaceTurn(turn) {
    const index = state.turns.findIndex((t) => t.turnId === turn.turnId);
    if (index >= 0) state.turns[index] = turn;
    else state.turns.push(turn);
    const node = renderTurn(turn);
    const old = turnsEl.querySelector(`article.turn[data-turn-id="${turn.turnId}"]`);
    if (old) old.replaceWith(node);
    else turnsEl.appendChild(node);
    $('empty').hidden = state.turns.length > 0;
    updateControls();
    node.scrollIntoView({ block: 'end' });
  }

  function renderAll() {
    for (const node of [...turnsEl.querySelectorAll('article.turn')]) node.remove();
    answerEls.clear();
    for (const turn of state.turns) turnsEl.appendChild(renderTurn(turn));
    $('empty').hidden = state.turns.length > 0;
    renderConnection();
    renderBuild();
    updateControls();
  }

  function renderConnection() {
    const c = state.connection || { state: 'idle' };
    const node = $('connection');
    node.dataset.state = c.state;
    const text = { ready: `aid ${c.serverVersion || ''}`.trim(), connecting: 'connecting…', disconnected: 'daemon unreachable', idle: 'not connected', closed: 'closed' }[c.state] || c.state;
    $('connection-text').textContent = text;
    node.title = c.message || (c.state === 'ready' ? `daemon generation ${c.generation}` : '');
  }

  function renderBuild() {
    const b = state.build;
    const node = $('build');
    node.dataset.state = b ? b.state : 'unknown';
    node.textContent = b ? b.text : 'no build yet';
    node.title = b ? b.tooltip : '';
  }

  function updateControls() {
    const streaming = state.turns.some((t) => t.status === 'streaming');
    cancelEl.hidden = !streaming;
    askEl.disabled = streaming;
    newConversationEl.hidden = modeEl.value !== 'chat' || !state.turns.some((t) => t.mode === 'chat');
  }

  let noticeTimer = 0;
  function showNotice(level, message) {
    noticeEl.textContent = message;
    noticeEl.dataset.level = level;
    noticeEl.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => { noticeEl.hidden = true; }, level === 'error' ? 10000 : 4000);
  }

  // ---- messages from the extension ----

  const handlers = {
    restore(m) {
      state.turns = m.state.turns || [];
      state.connection = m.state.connection;
      state.build = m.state.build;
      renderAll();
      save();
    },
    connection(m) {
      state.connection = m.connection;
      renderConnection();
    },
    build(m) {
      state.build = m.build;
      renderBuild();
    },
    turn(m) {
      replaceTurn(m.turn);
      save();
    },
    delta(m) {
      const turn = findTurn(m.turnId);
      if (!turn) return;
      turn.text += m.text;
      const answer = answerEls.get(m.turnId);
      if (answer) renderText(answer, turn.text);
    },
    reset(m) {
      const turn = findTurn(m.turnId);
      if (!turn) return;
      turn.text = '';
      const answer = answerEls.get(m.turnId);
      if (answer) renderText(answer, '');
    },
    answer(m) {
      replaceTurn(m.turn);
      save();
    },
    turnError(m) {
      const turn = findTurn(m.turnId);
      if (!turn) return;
      turn.status = 'error';
      turn.error = m.message;
      replaceTurn(turn);
      save();
    },
    cancelled(m) {
      const turn = findTurn(m.turnId);
      if (!turn) return;
      turn.status = 'cancelled';
      replaceTurn(turn);
      save();
    },
    proposal(m) {
      for (const turn of state.turns) {
        const index = (turn.proposals || []).findIndex((p) => p.proposalId === m.proposal.proposalId);
        if (index >= 0) {
          turn.proposals[index] = m.proposal;
          replaceTurn(turn);
        }
      }
      save();
    },
    notice(m) {
      showNotice(m.level, m.message);
      // A refused apply or reject: enable the undecided proposals' buttons again.
      if (m.level === 'error') renderAll();
    },
    focusPrompt(m) {
      if (typeof m.prompt === 'string') promptEl.value = m.prompt;
      promptEl.focus();
    },
  };

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || typeof message.type !== 'string' || !Object.prototype.hasOwnProperty.call(handlers, message.type)) return;
    handlers[message.type](message);
  });

  // ---- user actions ----

  function ask() {
    const prompt = promptEl.value.trim();
    if (!prompt || askEl.disabled) return;
    vscode.postMessage({ type: 'ask', prompt, mode: modeEl.value === 'chat' ? 'chat' : 'edit' });
    promptEl.value = '';
    save();
  }

  $('ask-form').addEventListener('submit', (event) => {
    event.preventDefault();
    ask();
  });
  promptEl.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      ask();
    } else if (event.key === 'Escape' && !cancelEl.hidden) {
      vscode.postMessage({ type: 'cancel' });
    }
  });
  promptEl.addEventListener('input', () => save());
  modeEl.addEventListener('change', () => {
    updateControls();
    save();
  });
  cancelEl.addEventListener('click', () => vscode.postMessage({ type: 'cancel' }));
  newConversationEl.addEventListener('click', () => vscode.postMessage({ type: 'newConversation' }));
  turnsEl.addEventListener('click', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const button = target.closest('button[data-action]');
    if (!button || /** @type {HTMLButtonElement} */ (button).disabled) return;
    const { action, proposalId, path } = /** @type {HTMLElement} */ (button).dataset;
    if (action === 'openDiff') {
      vscode.postMessage({ type: 'openDiff', proposalId, path });
      return;
    }
    // One decision per proposal: the buttons stay disabled until the extension answers.
    const box = button.closest('section.proposal');
    if (box) for (const b of box.querySelectorAll('.proposal-actions button')) /** @type {HTMLButtonElement} */ (b).disabled = true;
    if (action === 'apply') vscode.postMessage({ type: 'apply', proposalId });
    else if (action === 'reject') vscode.postMessage({ type: 'reject', proposalId });
  });

  promptEl.value = state.draft || '';
  modeEl.value = state.mode === 'chat' ? 'chat' : 'edit';
  renderAll();
  vscode.postMessage({ type: 'ready' });
})();
