-- aid.nvim: the Neovim client of the Aid daemon. It forwards requests with the editor's state,
-- shows streamed answers, applies proposals to buffers and reports feedback; the daemon does the
-- rest (context, prompts, models, builds, diffs, records).
local config = require('aid.config')
local rpc = require('aid.rpc')
local editor = require('aid.editor')
local ui = require('aid.ui')
local build = require('aid.build')
local apply = require('aid.apply')
local uv = vim.uv or vim.loop

local M = {
  version = '0.1.0',
}

-- The session: the request in progress and the last proposal.
local S = {
  request = nil, -- { id, token, prompt, root, snapshot, status, round, started, first_delta, ... }
  proposal = nil, -- { result, root, snapshot, done }
  server = nil, -- the last initialize result
  root = nil, -- the workspace root named in initialize
  daemon_status = nil, -- the last daemon/status result
  counter = 0,
}

local client

local function notify(msg, level)
  vim.notify('aid: ' .. msg, level or vim.log.levels.INFO)
end

local function on_notification(method, params)
  if method == 'build/statusChanged' then
    build.update(params.workspaceRoot, params.status)
  end
end

local function refresh_build()
  client:request('build/status', { workspaceRoot = S.root }, function(err, result)
    if not err and result then
      build.update(result.workspaceRoot, result.status)
    end
  end)
end

local function on_ready(result, reconnected)
  S.server = result
  if reconnected then
    notify(string.format('reconnected to the daemon %s (pid %s, generation %s)', result.serverVersion, result.pid, result.generation))
  end
  refresh_build()
end

-- The client, created on first use.
function M.client()
  if not client then
    client = rpc.new({
      socket = function()
        return config.options.socket or rpc.socket_path()
      end,
      aid_path = function()
        return config.options.aid_path
      end,
      autostart = config.options.autostart,
      connect_timeout_ms = config.options.connect_timeout_ms,
      init_params = function()
        S.root = S.root or editor.session_root()
        return {
          clientName = 'aid.nvim',
          clientVersion = M.version,
          editor = editor.editor_name(),
          workspaceRoot = S.root,
          processId = vim.fn.getpid(),
        }
      end,
      on_notification = on_notification,
      on_ready = on_ready,
      on_state = function()
        vim.cmd('redrawstatus!')
      end,
    })
  end
  return client
end

function M.setup(opts)
  config.setup(opts)
  if client then
    client.opts.autostart = config.options.autostart
    client.opts.connect_timeout_ms = config.options.connect_timeout_ms
  end
  local group = vim.api.nvim_create_augroup('aid', { clear = true })
  vim.api.nvim_create_autocmd('VimLeavePre', {
    group = group,
    callback = function()
      if client then
        client:close()
      end
    end,
  })
  -- Connect early, so that build diagnostics arrive before the first question, when the
  -- workspace is a project (found by a marker: never a home directory by accident).
  if config.options.diagnostics then
    vim.schedule(function()
      local _, found = editor.session_root()
      if found and not client then
        M.client():connect(config.options.autostart)
      end
    end)
  end
  return M
end

--------------------------------------------------------------------------------------------
-- :Aid

local function summary(p)
  local t = p.timings or {}
  local n = #(p.files or {})
  local s = string.format('%d file%s changed, %s', n, n == 1 and '' or 's', p.model or '?')
  if t.firstTokenMs then
    s = s .. string.format(', first token %.0f ms', t.firstTokenMs)
  end
  if t.totalMs then
    s = s .. string.format(', total %.0f ms', t.totalMs)
  end
  if p.applies == false then
    s = s .. ', does not apply'
  end
  return s
end

local function request_done(req, err, result)
  if S.request ~= req then
    return
  end
  req.finished = uv.hrtime()
  if err then
    if err.code == rpc.errors.cancelled then
      req.status = 'cancelled'
      ui.status('cancelled')
    else
      req.status = 'error'
      req.error = err
      ui.status('error ' .. tostring(err.code) .. ': ' .. tostring(err.message))
      notify(tostring(err.message), vim.log.levels.ERROR)
    end
    return
  end
  req.status = 'done'
  req.result = result
  S.proposal = { result = result, root = req.root, snapshot = req.snapshot, done = false }
  ui.status(summary(result))
  ui.show_diff(result)
end

local function on_stream(req, method, params)
  if S.request ~= req then
    return
  end
  if method == 'edit/delta' then
    local round = params.round or 0
    if round ~= req.round then
      req.round = round
      ui.append('\n\n---- repair round ' .. round .. ' ----\n\n')
    end
    ui.append(params.text or '')
    if not req.first_delta and params.text ~= '' then
      req.first_delta = uv.hrtime()
      ui.status('answering...')
    end
  elseif method == '$/progress' then
    local v = params.value or {}
    local text = v.message or v.title
    if text then
      ui.status(text .. (v.percentage and (' ' .. v.percentage .. '%') or ''))
    end
  end
end

-- The window whose file the question is about: the current one, else (when asking from the
-- answer window, say) the previous one if it shows a file.
local function source_window()
  local cur = vim.api.nvim_get_current_win()
  if editor.is_file_buffer(vim.api.nvim_win_get_buf(cur)) then
    return cur
  end
  local prev = vim.fn.win_getid(vim.fn.winnr('#'))
  if prev ~= 0 and editor.is_file_buffer(vim.api.nvim_win_get_buf(prev)) then
    return prev
  end
  return cur
end

-- Asks for a change. cmd: the user command's opts (range, line1, line2), or nil.
function M.ask(prompt, cmd)
  prompt = vim.trim(prompt or '')
  if prompt == '' then
    vim.ui.input({ prompt = 'Aid: ' }, function(input)
      if input and vim.trim(input) ~= '' then
        M.ask(input, cmd)
      end
    end)
    return
  end
  local c = M.client()
  if S.request and S.request.status == 'streaming' then
    local old = S.request
    S.request = nil
    c:cancel(old.id)
  end
  local params, snapshot = editor.state(cmd, source_window())
  S.counter = S.counter + 1
  local token = string.format('aid.nvim-%d-%d', vim.fn.getpid(), S.counter)
  params.prompt = prompt
  params.streamToken = token
  params.workDoneToken = token .. '-progress'
  params.model = config.options.model
  params.strategy = config.options.strategy
  local req = {
    prompt = prompt,
    token = token,
    root = params.workspaceRoot,
    snapshot = snapshot,
    status = 'streaming',
    round = 0,
    started = uv.hrtime(),
    sends = 0,
  }
  S.request = req
  S.proposal = nil
  ui.begin(prompt)
  req.id = c:request('edit/propose', params, function(err, result)
    request_done(req, err, result)
  end, {
    tokens = { token, params.workDoneToken },
    on_stream = function(method, p)
      on_stream(req, method, p)
    end,
    on_resend = function(sends)
      req.sends = sends
      if S.request == req then
        req.round = 0
        req.first_delta = nil
        ui.clear_stream()
        ui.status('the daemon restarted; asked again')
      end
    end,
  })
  return req
end

-- Cancels the request in progress.
function M.cancel()
  local req = S.request
  if req and req.status == 'streaming' and client then
    client:cancel(req.id)
    return true
  end
  return false
end

--------------------------------------------------------------------------------------------
-- :AidApply, :AidReject

local function feedback(p, outcome, paths, applied_by, on_done)
  local params = { proposalId = p.result.proposalId, outcome = outcome }
  if outcome == 'partial' then
    params.paths = paths
  end
  params.appliedBy = applied_by
  M.client():request('edit/feedback', params, function(err)
    if err then
      notify('feedback not recorded: ' .. tostring(err.message), vim.log.levels.WARN)
    end
    p.feedback = { outcome = outcome, ok = not err, error = err }
    if on_done then
      on_done(err)
    end
  end)
end

-- Applies the last proposal (or only `paths` of it: a partial accept). force: apply to buffers
-- edited since the request.
function M.apply(paths, force)
  local p = S.proposal
  if not p then
    notify('no proposal to apply', vim.log.levels.WARN)
    return false
  end
  if p.done then
    notify('the proposal was already ' .. p.done, vim.log.levels.WARN)
    return false
  end
  if p.result.applies == false then
    notify('the proposal does not apply: ' .. tostring(p.result.applyError), vim.log.levels.ERROR)
    return false
  end
  local plan, perr = apply.plan(p.result, p.root, paths, p.snapshot, force)
  if not plan then
    notify(perr, vim.log.levels.ERROR)
    return false
  end
  local in_buffers = apply.apply_buffers(plan)
  p.done = 'applied'
  local function plural(n)
    return n == 1 and '' or 's'
  end
  local function finish(apply_err)
    local outcome = plan.all and 'accepted' or 'partial'
    local fb_paths = plan.paths
    local notes = {}
    if #in_buffers > 0 then
      notes[#notes + 1] = string.format('%d file%s changed in buffers (not saved)', #in_buffers, plural(#in_buffers))
    end
    if apply_err then
      notes[#notes + 1] = 'edit/apply failed: ' .. apply_err
      if #in_buffers == 0 then
        -- nothing was applied: no feedback, and the proposal stays open
        p.done = false
        ui.diff_note(table.concat(notes, '; '))
        notify(table.concat(notes, '; '), vim.log.levels.ERROR)
        return
      end
      outcome, fb_paths = 'partial', in_buffers
    elseif #plan.daemon > 0 then
      notes[#notes + 1] = string.format('%d file%s written by the daemon', #plan.daemon, plural(#plan.daemon))
    end
    feedback(p, outcome, fb_paths, #in_buffers > 0 and 'editor' or 'daemon')
    local note = 'applied: ' .. table.concat(notes, ', ')
    ui.diff_note(note)
    notify(note, apply_err and vim.log.levels.WARN or nil)
  end
  if #plan.daemon == 0 then
    finish()
  else
    M.client():request('edit/apply', {
      proposalId = p.result.proposalId,
      workspaceRoot = p.root,
      paths = plan.daemon,
    }, function(err)
      if not err then
        apply.reload(p.root, plan.daemon)
      end
      finish(err and tostring(err.message) or nil)
    end)
  end
  return true
end

function M.reject()
  local p = S.proposal
  if not p then
    notify('no proposal to reject', vim.log.levels.WARN)
    return false
  end
  if p.done then
    notify('the proposal was already ' .. p.done, vim.log.levels.WARN)
    return false
  end
  p.done = 'rejected'
  feedback(p, 'rejected')
  ui.diff_note('rejected')
  return true
end

--------------------------------------------------------------------------------------------
-- :AidStatus, :AidRestart, :AidBuild

function M.status(on_done)
  M.client():request('daemon/status', vim.empty_dict(), function(err, st)
    if err then
      notify('daemon unreachable: ' .. tostring(err.message), vim.log.levels.ERROR)
      if on_done then
        on_done(err)
      end
      return
    end
    S.daemon_status = st
    local lines = {
      string.format('aid %s (protocol %s): pid %s, generation %s, up %.0f s', st.version, st.protocolVersion, st.pid, st.generation, st.uptimeSeconds or 0),
      string.format('socket %s, %s connections, %s requests in flight', st.socketPath, st.connections, st.inFlightRequests),
      'workspace ' .. tostring(S.root) .. ': ' .. build.describe(),
      'aid.nvim ' .. M.version,
    }
    vim.api.nvim_echo({ { table.concat(lines, '\n') } }, true, {})
    if on_done then
      on_done(nil, st)
    end
  end)
end

function M.restart()
  M.client():request('daemon/restart', vim.empty_dict(), function(err, r)
    if err then
      notify('restart failed: ' .. tostring(err.message), vim.log.levels.ERROR)
    else
      notify('the daemon restarts (generation ' .. tostring(r.nextGeneration) .. ')')
    end
  end)
end

function M.build_run()
  M.client():request('build/run', { workspaceRoot = S.root, wait = false }, function(err, r)
    if err then
      notify('build/run: ' .. tostring(err.message), vim.log.levels.ERROR)
    elseif r then
      build.update(r.workspaceRoot, r.status)
    end
  end)
end

function M.diagnostics_to_qflist()
  vim.diagnostic.setqflist({ namespace = build.ns, title = 'aid build' })
end

-- For 'statusline': e.g. "aid:red(2)".
function M.statusline()
  return build.statusline(client ~= nil and client:is_ready())
end

-- The proposal's paths (for completion of :AidApply).
function M.proposal_paths()
  local out = {}
  if S.proposal then
    for _, f in ipairs(S.proposal.result.files or {}) do
      out[#out + 1] = f.path
    end
  end
  return out
end

-- For tests and scripts: the session state.
function M.state()
  return S
end

-- Closing the answer window while the answer streams cancels the request.
ui.on_answer_closed = function()
  if not ui.answer_visible() then
    M.cancel()
  end
end

return M
