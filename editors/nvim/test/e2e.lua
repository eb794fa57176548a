-- End-to-end tests of aid.nvim in a real Neovim against the real daemon and the fake model
-- (editors/test-support/harness.sh provides both; test/run starts Neovim in the sample
-- workspace). Every wait is vim.wait on a condition with a timeout.
local T = require('helpers')
local aid = require('aid')
local ui = require('aid.ui')
local build = require('aid.build')

local AID_BIN = assert(os.getenv('AID_BIN'), 'AID_BIN is not set (run test/run)')
local ANSWERS = assert(os.getenv('AID_FAKE_ANSWERS'), 'AID_FAKE_ANSWERS is not set')
local FAKE_URL = assert(os.getenv('AID_FAKE_URL'), 'AID_FAKE_URL is not set')
local WORKSPACE = (vim.uv or vim.loop).fs_realpath(assert(os.getenv('AID_TEST_WORKSPACE')))
local GREET = WORKSPACE .. '/greet.py'
local ORIGINAL = T.read_file(GREET)

local UNSAVED = '# TODO: unsaved note'
local NEW_RETURN = '    return "Hello, " + name + "!"'
local NEW_PRINT = '    print(greet("world"), flush=True)'

local EDIT_ANSWER = table.concat({
  'Make the greeting exclaim: add an exclamation mark to the text that greet() returns, and keep the rest as it is.',
  '',
  '```diff',
  '--- a/greet.py',
  '+++ b/greet.py',
  '@@ -1,3 +1,3 @@',
  ' ' .. UNSAVED,
  ' def greet(name):',
  '-    return "Hello, " + name',
  '+' .. NEW_RETURN,
  '@@ -5,3 +5,3 @@',
  ' ',
  ' if __name__ == "__main__":',
  '-    print(greet("world"))',
  '+' .. NEW_PRINT,
  '```',
  '',
}, '\n')

-- The next model answers: every request gets `answer` (a string or an answer object).
local function script(answer)
  T.write_file(ANSWERS, vim.json.encode({ answer }))
end

local function slow(text, chunk_chars, delay_ms)
  return { text = text, chunkChars = chunk_chars or 4, chunkDelayMs = delay_ms or 25 }
end

local function fake_requests()
  return vim.json.decode(T.http_get(FAKE_URL .. '/requests'))
end

-- greet.py in the current window (loaded once; never re-read from disk behind the test's back).
local function greet_buf()
  local buf = vim.fn.bufnr(GREET)
  if buf ~= -1 and vim.api.nvim_buf_is_loaded(buf) then
    vim.api.nvim_set_current_buf(buf)
  else
    vim.cmd('edit ' .. vim.fn.fnameescape(GREET))
  end
  return vim.api.nvim_get_current_buf()
end

local function lines(buf)
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

local function state()
  return aid.state()
end

-- The client, connected and initialized.
local function ready_client()
  local c = aid.client()
  c:connect(true)
  T.wait(15000, function()
    return c:is_ready()
  end, 'the connection')
  return c
end

local function wait_done(req, timeout)
  T.wait(timeout or 15000, function()
    return req.status ~= 'streaming'
  end, 'the answer to ' .. vim.inspect(req.prompt))
  T.eq(req.status, 'done', 'the request ended: ' .. vim.inspect(req.error))
end

local function cli(args)
  local out = vim.fn.system(vim.list_extend({ AID_BIN }, args))
  T.eq(vim.v.shell_error, 0, 'aid ' .. table.concat(args, ' ') .. ' failed: ' .. out)
  return out
end

local function daemon_status()
  return vim.json.decode(cli({ 'rpc', 'daemon/status' }))
end

local function acceptance()
  local summary = vim.json.decode(cli({ 'rpc', 'metrics/summary', '{}' }))
  local trials, accepted = 0, 0
  for _, a in ipairs(summary.acceptance or {}) do
    trials = trials + (a.trials or 0)
    accepted = accepted + (a.accepted or 0)
  end
  return trials, accepted
end

--------------------------------------------------------------------------------------------

T.test('connects, initializes with the workspace and shows the build state', function()
  local buf = greet_buf()
  local c = aid.client()
  c:connect(true)
  T.wait(15000, function()
    return c:is_ready()
  end, 'the connection')
  T.eq(state().root, WORKSPACE, 'the workspace root named in initialize')
  T.ok(c.server.serverVersion and c.server.pid, 'initialize answered with the version and pid')
  T.wait(15000, function()
    return build.status and build.status.state == 'green'
  end, 'a green build')
  T.eq(aid.statusline(), 'aid:green', 'statusline')
  T.eq(#vim.diagnostic.get(buf, { namespace = build.ns }), 0, 'no diagnostics while green')
end)

T.test('a build error appears as a diagnostic and goes away when fixed', function()
  local buf = greet_buf()
  local n = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, n, n, false, { 'BUG = "left here on purpose"' })
  vim.cmd('silent write')
  T.wait(15000, function()
    return build.status and build.status.state == 'red' and #vim.diagnostic.get(buf, { namespace = build.ns }) > 0
  end, 'a red build with a diagnostic in greet.py')
  local d = vim.diagnostic.get(buf, { namespace = build.ns })
  T.eq(#d, 1, 'one diagnostic')
  T.eq(d[1].lnum, n, 'the 0-based line of the BUG line (the protocol says ' .. (n + 1) .. ')')
  T.eq(d[1].col, 0, 'column 1 in the protocol is 0 here')
  T.eq(d[1].severity, vim.diagnostic.severity.ERROR, 'severity')
  T.contains(d[1].message, 'BUG', 'message')
  T.eq(aid.statusline(), 'aid:red(1)', 'statusline')

  vim.api.nvim_buf_set_lines(buf, n, n + 1, false, {})
  vim.cmd('silent write')
  T.wait(15000, function()
    return build.status.state == 'green' and #vim.diagnostic.get(buf, { namespace = build.ns }) == 0
  end, 'a green build without diagnostics')
  T.eq(T.read_file(GREET), ORIGINAL, 'greet.py is back as it was')
end)

T.test(':Aid streams the answer into its window before the result, then shows the diff', function()
  local buf = greet_buf()
  vim.api.nvim_buf_set_lines(buf, 0, 0, false, { UNSAVED }) -- an unsaved edit
  T.ok(vim.bo[buf].modified, 'greet.py has unsaved edits')
  local before_requests = #fake_requests()
  script(slow(EDIT_ANSWER, 4, 25))
  vim.api.nvim_win_set_cursor(0, { 3, 4 })
  vim.cmd('Aid make the greeting exclaim')
  local req = state().request
  T.ok(req and req.status == 'streaming', 'a request is in progress')
  T.ok(ui.answer_visible(), 'the answer window is open')
  T.eq(vim.api.nvim_get_current_buf(), buf, 'the cursor stays in greet.py')

  local partial
  T.wait(15000, function()
    local text = ui.answer_text()
    if text:find('Make the', 1, true) and state().proposal == nil then
      partial = text
      return true
    end
    return req.status ~= 'streaming'
  end, 'streamed text in the answer window')
  T.ok(partial, 'streamed text was in the buffer before the result arrived (status ' .. req.status .. ')')
  T.ok(req.status == 'streaming', 'the result had not arrived when the text was seen')

  wait_done(req)
  local p = state().proposal.result
  T.ok(#partial < #p.text, 'the text seen first was partial')
  T.eq(vim.trim(ui.answer_text()), vim.trim(p.text), 'the answer window holds the whole answer')
  T.eq(p.text:sub(1, #vim.trim(partial)), vim.trim(partial), 'the partial text is a prefix of the answer')
  T.ok(p.applies, 'the proposal applies: ' .. tostring(p.applyError))
  T.eq(vim.bo[ui.diff_buf].filetype, 'diff', 'the diff buffer has filetype diff')
  local diff_text = table.concat(lines(ui.diff_buf), '\n')
  T.contains(diff_text, '+' .. NEW_RETURN, 'the diff window')
  T.ok(vim.fn.bufwinid(ui.diff_buf) ~= -1, 'the diff window is open')

  -- The daemon saw the unsaved buffer, not the file on disk.
  local reqs = fake_requests()
  T.ok(#reqs > before_requests, 'the model was asked')
  T.contains(vim.json.encode(reqs[#reqs]), 'TODO: unsaved note', 'the prompt holds the unsaved text')
end)

T.test(':AidApply changes the open buffer as one undo step and records the feedback', function()
  local buf = greet_buf()
  local asked = lines(buf)
  T.eq(asked[1], UNSAVED, 'the unsaved edit sent with the request is there')
  local trials0, accepted0 = acceptance()

  -- An edit after asking: :AidApply refuses, :AidApply! applies anyway.
  local LATER = UNSAVED .. ' (edited after asking)'
  vim.api.nvim_buf_set_lines(buf, 0, 1, false, { LATER })
  local before = lines(buf)
  local ok, err = pcall(vim.cmd, 'AidApply')
  T.ok(not ok, ':AidApply reports an error')
  T.contains(err, 'greet.py changed after the request', 'the error')
  T.eq(lines(buf), before, ':AidApply left a buffer edited after the request alone')
  T.eq(state().proposal.done, false, 'the proposal is still open')
  vim.cmd('AidApply!')
  local after = lines(buf)
  T.eq(after[1], LATER, 'the unsaved edits survive')
  T.eq(after[3], NEW_RETURN, 'the first hunk is applied to the buffer')
  T.eq(after[7], NEW_PRINT, 'the second hunk is applied to the buffer')
  T.eq(#after, #before, 'one line replaced by one, twice')
  T.ok(vim.bo[buf].modified, 'the buffer is modified, not saved')
  T.eq(T.read_file(GREET), ORIGINAL, 'nothing was written to disk')
  local p = state().proposal
  T.wait(10000, function()
    return p.feedback ~= nil
  end, 'the feedback answer')
  T.ok(p.feedback.ok, 'edit/feedback succeeded: ' .. vim.inspect(p.feedback.error))
  T.eq(p.feedback.outcome, 'accepted', 'outcome')
  local trials1, accepted1 = acceptance()
  T.eq({ trials1, accepted1 }, { trials0 + 1, accepted0 + 1 }, 'metrics/summary counts one more accepted proposal')

  local function undo()
    vim.api.nvim_buf_call(buf, function()
      vim.cmd('silent undo')
    end)
  end
  undo()
  T.eq(lines(buf), before, 'one undo reverts exactly the applied change (both hunks, nothing else)')
  undo()
  T.eq(lines(buf), asked, 'the next undo reverts the edit made after asking')
  undo()
  T.eq(table.concat(lines(buf), '\n') .. '\n', ORIGINAL, 'the next one the unsaved edit')
end)

T.test(':AidReject sends rejected feedback', function()
  greet_buf()
  vim.cmd('silent edit!') -- greet.py as on disk
  script('Nothing to change here.\n\n```diff\n--- a/greet.py\n+++ b/greet.py\n@@ -5,2 +5,2 @@\n if __name__ == "__main__":\n-    print(greet("world"))\n+    print(greet("there"))\n```\n')
  local trials0, accepted0 = acceptance()
  vim.cmd('Aid greet someone else')
  local req = state().request
  wait_done(req)
  local p = state().proposal
  T.eq(#p.result.files, 1, 'one file in the proposal')
  vim.cmd('AidReject')
  T.wait(10000, function()
    return p.feedback ~= nil
  end, 'the feedback answer')
  T.ok(p.feedback.ok, 'edit/feedback succeeded')
  T.eq(p.feedback.outcome, 'rejected', 'outcome')
  local trials1, accepted1 = acceptance()
  T.eq({ trials1, accepted1 }, { trials0 + 1, accepted0 }, 'one more trial, no more accepted')
  T.eq(table.concat(lines(vim.api.nvim_get_current_buf()), '\n') .. '\n', ORIGINAL, 'the buffer is unchanged')
end)

-- Records the requests aid.nvim sends while fn runs.
local function spy(fn)
  local c = aid.client()
  local sent = {}
  local request = c.request
  c.request = function(self, method, params, ...)
    sent[#sent + 1] = { method = method, params = params }
    return request(self, method, params, ...)
  end
  local ok, err = pcall(fn, sent)
  c.request = request
  if not ok then
    error(err, 0)
  end
  return sent
end

local function find(sent, method)
  for _, r in ipairs(sent) do
    if r.method == method then
      return r.params
    end
  end
end

local OTHER = WORKSPACE .. '/other.py'
local function two_files(from, to)
  return table.concat({
    'Change both files.',
    '',
    '```diff',
    '--- a/greet.py',
    '+++ b/greet.py',
    '@@ -1,2 +1,2 @@',
    ' def greet(name):',
    '-    return "Hello, " + name',
    '+    return "Hi, " + name',
    '--- a/other.py',
    '+++ b/other.py',
    '@@ -1,2 +1,2 @@',
    ' def other():',
    '-    return ' .. from,
    '+    return ' .. to,
    '```',
    '',
  }, '\n')
end

T.test(':AidApply: open files change in their buffer, the others are written by the daemon', function()
  T.write_file(OTHER, 'def other():\n    return 1\n')
  local buf = greet_buf()
  vim.cmd('silent edit!')
  T.eq(require('aid.editor').find_buffer(OTHER), nil, 'other.py is not open')
  script(two_files(1, 2))
  vim.cmd('Aid change both')
  wait_done(state().request)
  local p = state().proposal
  T.eq(#p.result.files, 2, 'two files')
  local sent = spy(function()
    vim.cmd('AidApply')
    T.wait(10000, function()
      return p.feedback ~= nil
    end, 'the feedback answer')
  end)
  T.eq(lines(buf)[2], '    return "Hi, " + name', 'greet.py changed in its buffer')
  T.eq(T.read_file(GREET), ORIGINAL, 'greet.py not written')
  T.eq(T.read_file(OTHER), 'def other():\n    return 2\n', 'other.py written by the daemon')
  T.eq(require('aid.editor').find_buffer(OTHER), nil, 'other.py still not open')
  local ap = find(sent, 'edit/apply')
  T.ok(ap, 'edit/apply was asked')
  T.eq(ap.paths, { 'other.py' }, 'edit/apply paths')
  T.eq(ap.proposalId, p.result.proposalId, 'edit/apply proposalId')
  local fb = find(sent, 'edit/feedback')
  T.eq({ fb.outcome, fb.appliedBy, fb.paths }, { 'accepted', 'editor', nil }, 'edit/feedback')
  T.ok(p.feedback.ok, 'feedback recorded')
end)

T.test(':AidApply FILE accepts part of a proposal', function()
  local buf = greet_buf()
  vim.cmd('silent edit!')
  script(two_files(2, 3))
  vim.cmd('Aid change both again')
  wait_done(state().request)
  local p = state().proposal
  T.eq(#p.result.files, 2, 'two files')
  local sent = spy(function()
    vim.cmd('AidApply other.py')
    T.wait(10000, function()
      return p.feedback ~= nil
    end, 'the feedback answer')
  end)
  T.eq(table.concat(lines(buf), '\n') .. '\n', ORIGINAL, 'greet.py untouched')
  T.eq(T.read_file(OTHER), 'def other():\n    return 3\n', 'other.py written by the daemon')
  local fb = find(sent, 'edit/feedback')
  T.eq({ fb.outcome, fb.appliedBy, fb.paths }, { 'partial', 'daemon', { 'other.py' } }, 'edit/feedback')
  T.ok(p.feedback.ok, 'feedback recorded: ' .. vim.inspect(p.feedback.error))
end)

T.test(":'<,'>Aid sends the selection, the cursor and the file", function()
  local buf = greet_buf()
  vim.cmd('silent edit!') -- greet.py as on disk, without unsaved edits
  script('No change.')
  vim.api.nvim_win_set_cursor(0, { 2, 4 })
  vim.cmd('normal! vj$')
  vim.cmd('execute "normal! \\<Esc>"')
  local sent = find(spy(function()
    vim.cmd("'<,'>Aid explain this")
  end), 'edit/propose')
  T.ok(sent, 'edit/propose was sent')
  T.eq(sent.file, GREET, 'file')
  T.eq(sent.workspaceRoot, WORKSPACE, 'workspaceRoot')
  local l3 = vim.api.nvim_buf_get_lines(buf, 2, 3, false)[1]
  T.eq(sent.selection, { start = { line = 1, character = 4 }, ['end'] = { line = 2, character = #l3 } }, 'selection')
  T.ok(sent.cursor and sent.cursor.line >= 1, 'cursor')
  T.eq(sent.buffers, nil, 'no unsaved buffers to send')
  wait_done(state().request)
end)

T.test(':AidCancel cancels a streaming request with $/cancelRequest', function()
  greet_buf()
  script({ stallBeforeFirstToken = true })
  local n0 = #fake_requests()
  vim.cmd('Aid this answer never comes')
  local req = state().request
  T.wait(10000, function()
    return #fake_requests() > n0
  end, 'the model to be asked')
  vim.cmd('AidCancel')
  T.wait(5000, function()
    return req.status ~= 'streaming'
  end, 'the cancelled answer (-32800 from the daemon)')
  T.eq(req.status, 'cancelled', 'status')
end)

T.test('closing the answer window mid-stream cancels the request', function()
  greet_buf()
  script({ stallBeforeFirstToken = true })
  local n0 = #fake_requests()
  vim.cmd('Aid this answer never comes either')
  local req = state().request
  T.wait(10000, function()
    return #fake_requests() > n0
  end, 'the model to be asked')
  local win = vim.fn.bufwinid(ui.answer_buf)
  T.ok(win ~= -1, 'the answer window is open')
  vim.api.nvim_win_close(win, true)
  T.wait(5000, function()
    return req.status ~= 'streaming'
  end, 'the cancelled answer')
  T.eq(req.status, 'cancelled', 'status')
end)

T.test('after `aid restart` the client reconnects by itself and the next :Aid just works', function()
  greet_buf()
  local c = ready_client()
  local gen0 = c.server.generation
  local connections0 = c.connections
  cli({ 'restart' })
  T.wait(15000, function()
    return c:is_ready() and c.connections > connections0
  end, 'the reconnection')
  T.eq(c.server.generation, gen0 + 1, 'initialize was sent again to the new generation')
  script('Just works.\n\n```diff\n--- a/greet.py\n+++ b/greet.py\n@@ -1,2 +1,2 @@\n-def greet(name):\n+def greet(name: str):\n     return "Hello, " + name\n```\n')
  vim.cmd('Aid annotate the parameter')
  local req = state().request
  wait_done(req)
  T.eq(req.sends, 0, 'sent once')
  T.eq(#state().proposal.result.files, 1, 'a proposal')
  T.eq(daemon_status().generation, gen0 + 1, 'the daemon restarted once')
  -- the workspace is attached again: build notifications come back
  T.wait(15000, function()
    return build.status and build.status.state == 'green'
  end, 'the build status after the restart')
end)

T.test('a request in flight during a restart is sent again and answered once', function()
  greet_buf()
  local c = ready_client()
  local gen0 = c.server.generation
  script(slow(string.rep('This answer is slow and will be cut short by a restart. ', 20), 3, 100))
  vim.cmd('Aid a slow question')
  local req = state().request
  T.wait(15000, function()
    return req.first_delta ~= nil
  end, 'the first streamed text')
  local fast = 'Asked again after the restart.\n\n```diff\n--- a/greet.py\n+++ b/greet.py\n@@ -1,2 +1,2 @@\n-def greet(name):\n+def greet(who):\n     return "Hello, " + name\n```\n'
  script(fast)
  cli({ 'restart', '--drain-timeout-ms', '100' })
  wait_done(req, 20000)
  T.eq(req.sends, 2, 'the request was sent twice (before and after the restart)')
  T.eq(c.server.generation, gen0 + 1, 're-initialized')
  T.eq(vim.trim(ui.answer_text()), vim.trim(fast), 'the answer window holds the new answer once, not the cut one')
  T.eq(state().proposal.result.text, fast, 'the result is the answer after the restart')
end)

T.test(':AidRestart restarts the daemon and the client follows', function()
  local c = ready_client()
  local gen0 = c.server.generation
  vim.cmd('AidRestart')
  T.wait(15000, function()
    return c:is_ready() and c.server.generation == gen0 + 1
  end, 'the reconnection to generation ' .. (gen0 + 1))
end)

T.test(':AidStatus shows the daemon', function()
  local got
  aid.status(function(err, st)
    got = { err = err, st = st }
  end)
  T.wait(5000, function()
    return got ~= nil
  end, 'daemon/status')
  T.eq(got.err, nil, 'no error')
  T.ok(got.st.version and got.st.pid and got.st.generation, 'version, pid, generation')
end)

T.test(':checkhealth aid runs without error', function()
  vim.cmd('checkhealth aid')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  vim.cmd('tabclose')
  T.contains(text, 'aid executable', 'the executable section')
  T.contains(text, 'OK', 'some checks pass')
  T.ok(not text:find('Failed to run healthcheck', 1, true), 'the check ran:\n' .. text)
  T.ok(not text:find('ERROR', 1, true), 'no check failed:\n' .. text)
  T.ok(not text:find('WARN', 1, true), 'no warning:\n' .. text)
end)

T.test(':checkhealth aid names the fix when aid is missing', function()
  local config = require('aid.config')
  local saved = config.options.aid_path
  config.options.aid_path = '/nonexistent/aid'
  local ok, err = pcall(vim.cmd, 'checkhealth aid')
  config.options.aid_path = saved
  T.ok(ok, tostring(err))
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  vim.cmd('tabclose')
  T.contains(text, 'ERROR', 'an error')
  T.contains(text, 'aid executable not found: /nonexistent/aid', 'the problem')
  T.contains(text, 'aid_path', 'the fix')
end)

T.run(os.getenv('AID_TEST_ONLY'))
