-- Build status (red / green / running) and the build's diagnostics through vim.diagnostic, in
-- the "aid" namespace. The protocol's lines and columns are 1-based (as compilers print them);
-- vim.diagnostic's are 0-based.
local config = require('aid.config')
local editor = require('aid.editor')

local M = {
  ns = vim.api.nvim_create_namespace('aid'),
  root = nil,
  status = nil, -- the last status: state, run, diagnostics, message, ...
  bufs = {}, -- buffers that have diagnostics of ours
}

local severities = {
  error = vim.diagnostic.severity.ERROR,
  warning = vim.diagnostic.severity.WARN,
  note = vim.diagnostic.severity.INFO,
  info = vim.diagnostic.severity.INFO,
  hint = vim.diagnostic.severity.HINT,
}

-- A protocol diagnostic as a vim.diagnostic item.
function M.convert(d)
  local lnum = math.max((d.line or 1) - 1, 0)
  local col = math.max((d.column or 1) - 1, 0)
  local end_lnum = d.endLine and math.max(d.endLine - 1, lnum) or lnum
  local end_col = d.endColumn and math.max(d.endColumn - 1, 0) or col
  if end_lnum == lnum and end_col < col then
    end_col = col
  end
  return {
    lnum = lnum,
    col = col,
    end_lnum = end_lnum,
    end_col = end_col,
    severity = severities[d.severity or 'error'] or vim.diagnostic.severity.ERROR,
    message = d.message or '',
    source = d.source or 'aid',
    code = d.code,
    user_data = { aid = { related = d.related, path = d.path } },
  }
end

-- Applies a status (from build/status or build/statusChanged).
function M.update(root, status)
  if not status then
    return
  end
  if not M.autocmd then
    -- Diagnostics of a file that was not open show when it is opened (Neovim 0.7 does not).
    M.autocmd = vim.api.nvim_create_autocmd('BufReadPost', {
      group = vim.api.nvim_create_augroup('aid_build', { clear = true }),
      callback = function(ev)
        if M.bufs[ev.buf] then
          vim.diagnostic.show(M.ns, ev.buf)
        end
      end,
    })
  end
  M.root = root or M.root
  M.status = status
  if config.options.diagnostics then
    local by_buf = {}
    for _, d in ipairs(status.diagnostics or {}) do
      if d.path and d.path ~= '' then
        local abs = editor.join(M.root, d.path)
        local buf = editor.find_buffer(abs) or vim.fn.bufadd(abs)
        by_buf[buf] = by_buf[buf] or {}
        table.insert(by_buf[buf], M.convert(d))
      end
    end
    for buf in pairs(M.bufs) do
      if not by_buf[buf] and vim.api.nvim_buf_is_valid(buf) then
        vim.diagnostic.reset(M.ns, buf)
      end
    end
    for buf, list in pairs(by_buf) do
      vim.diagnostic.set(M.ns, buf, list)
    end
    M.bufs = by_buf
  end
  pcall(vim.api.nvim_exec_autocmds, 'User', { pattern = 'AidBuildStatus', modeline = false })
  vim.cmd('redrawstatus!')
end

function M.clear()
  for buf in pairs(M.bufs) do
    if vim.api.nvim_buf_is_valid(buf) then
      vim.diagnostic.reset(M.ns, buf)
    end
  end
  M.bufs = {}
  M.status = nil
end

local function errors(status)
  local n = 0
  for _, d in ipairs(status.diagnostics or {}) do
    if (d.severity or 'error') == 'error' then
      n = n + 1
    end
  end
  return n
end

-- For 'statusline': the build state of the editor's workspace.
function M.statusline(connected)
  local fmt = config.options.statusline
  local s = M.status
  if not connected then
    return fmt.offline or ''
  end
  if not s then
    return fmt.unknown or ''
  end
  if s.state == 'green' then
    return fmt.green or ''
  elseif s.state == 'red' then
    return string.format(fmt.red or '%d', errors(s))
  elseif s.state == 'running' then
    return fmt.running or ''
  end
  return fmt.unknown or ''
end

-- One line for :AidStatus.
function M.describe()
  local s = M.status
  if not s then
    return 'build: unknown'
  end
  local parts = { 'build: ' .. tostring(s.state) }
  if s.command then
    parts[#parts + 1] = '(' .. s.command .. ')'
  end
  if s.run then
    parts[#parts + 1] = 'run ' .. s.run
  end
  if s.state == 'red' then
    parts[#parts + 1] = #(s.diagnostics or {}) .. ' diagnostics'
  end
  if s.message then
    parts[#parts + 1] = '- ' .. s.message
  end
  return table.concat(parts, ' ')
end

return M
