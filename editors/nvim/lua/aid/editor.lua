-- What the daemon needs to know about the editor: the workspace root, the file, the cursor, the
-- selection and the text of unsaved buffers. Positions are 0-based with UTF-16 characters.
local uv = vim.uv or vim.loop
local config = require('aid.config')

local M = {}

function M.realpath(path)
  if not path or path == '' then
    return path
  end
  return uv.fs_realpath(path) or vim.fn.fnamemodify(path, ':p'):gsub('/$', '')
end

-- Whether buf holds a file (not a scratch, help or terminal buffer).
function M.is_file_buffer(buf)
  return vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].buftype == '' and vim.api.nvim_buf_get_name(buf) ~= ''
end

-- The workspace root of a path (a file or a directory), as configured or found from markers;
-- the second value says whether it was (false: the current directory, as a last resort).
function M.root_for(path)
  local opt = config.options.root
  if type(opt) == 'function' then
    local r = opt(path)
    if r and r ~= '' then
      return M.realpath(r), true
    end
  elseif type(opt) == 'string' and opt ~= '' then
    return M.realpath(vim.fn.expand(opt)), true
  end
  local dir
  if path and path ~= '' then
    local st = uv.fs_stat(path)
    dir = (st and st.type == 'directory') and path or vim.fn.fnamemodify(path, ':p:h')
  else
    dir = vim.fn.getcwd()
  end
  dir = M.realpath(dir) or dir
  local d = dir
  while d and d ~= '' do
    for _, marker in ipairs(config.options.root_markers) do
      if uv.fs_stat(d .. '/' .. marker) then
        return d, true
      end
    end
    local parent = vim.fn.fnamemodify(d, ':h')
    if parent == d then
      break
    end
    d = parent
  end
  return M.realpath(vim.fn.getcwd()), false
end

-- The root this editor names in `initialize` (it receives that workspace's build status).
function M.session_root()
  local buf = vim.api.nvim_get_current_buf()
  if M.is_file_buffer(buf) then
    return M.root_for(vim.api.nvim_buf_get_name(buf))
  end
  return M.root_for(vim.fn.getcwd())
end

function M.join(root, path)
  if path:sub(1, 1) == '/' then
    return path
  end
  return root .. '/' .. path
end

local function under(root, path)
  return path:sub(1, #root + 1) == root .. '/'
end

-- The loaded file buffer of an absolute path, or nil.
function M.find_buffer(abs)
  local real = M.realpath(abs)
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) then
      local name = vim.api.nvim_buf_get_name(buf)
      if name ~= '' and (name == abs or name == real or M.realpath(name) == real) then
        return buf
      end
    end
  end
end

-- The buffer's text as it would be written.
function M.buffer_text(buf)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local text = table.concat(lines, '\n')
  if vim.bo[buf].eol or (vim.bo[buf].fixeol and not vim.bo[buf].binary) then
    text = text .. '\n'
  end
  return text
end

-- UTF-16 code units before byte0 of s (Neovim 0.11 changed vim.str_utfindex's signature).
local utf16_index
if vim.fn.has('nvim-0.11') == 1 then
  utf16_index = function(s, byte0)
    return vim.str_utfindex(s, 'utf-16', byte0, false)
  end
else
  utf16_index = function(s, byte0)
    local _, u16 = vim.str_utfindex(s, byte0)
    return u16
  end
end

local function position(line_text, row0, byte0)
  byte0 = math.max(0, math.min(byte0, #line_text))
  return { line = row0, character = utf16_index(line_text, byte0) }
end

local function line_at(buf, row0)
  return vim.api.nvim_buf_get_lines(buf, row0, row0 + 1, false)[1] or ''
end

-- The selection of a range command (`:'<,'>Aid`): characterwise when the range is the last
-- visual selection in `v` mode, else whole lines.
local function selection(buf, cmd)
  if not cmd or not cmd.range or cmd.range < 2 then
    return nil
  end
  local l1, l2 = cmd.line1, cmd.line2
  local vs, ve = vim.fn.getpos("'<"), vim.fn.getpos("'>")
  if vim.fn.visualmode() == 'v' and vs[2] == l1 and ve[2] == l2 then
    local first, last = line_at(buf, l1 - 1), line_at(buf, l2 - 1)
    -- '> points at the first byte of the last character; the end is exclusive, so take the
    -- UTF-16 index after that character (str_utfindex rounds up inside a sequence).
    local end_byte = math.min(ve[3], #last)
    return { start = position(first, l1 - 1, vs[3] - 1), ['end'] = position(last, l2 - 1, end_byte) }
  end
  local last = line_at(buf, l2 - 1)
  return { start = { line = l1 - 1, character = 0 }, ['end'] = position(last, l2 - 1, #last) }
end

-- The editor state for edit/propose from the current window. cmd: the user command's opts.
-- Returns params (workspaceRoot, file, cursor, selection, buffers) and a snapshot of the
-- changedtick of every loaded file buffer (to notice edits made after asking).
function M.state(cmd, win)
  win = win or vim.api.nvim_get_current_win()
  local buf = vim.api.nvim_win_get_buf(win)
  local params, snapshot = {}, {}
  local file = M.is_file_buffer(buf) and M.realpath(vim.api.nvim_buf_get_name(buf)) or nil
  local root = file and M.root_for(file) or M.session_root()
  params.workspaceRoot = root
  if file then
    params.file = file
    local cur = vim.api.nvim_win_get_cursor(win)
    params.cursor = position(line_at(buf, cur[1] - 1), cur[1] - 1, cur[2])
    params.selection = selection(buf, cmd)
  end
  local buffers = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if M.is_file_buffer(b) then
      local name = M.realpath(vim.api.nvim_buf_get_name(b))
      snapshot[name] = vim.api.nvim_buf_get_changedtick(b)
      if vim.bo[b].modified and under(root, name) then
        buffers[#buffers + 1] = { path = name, text = M.buffer_text(b) }
      end
    end
  end
  if #buffers > 0 then
    params.buffers = buffers
  end
  return params, snapshot
end

function M.editor_name()
  local v = vim.version()
  return string.format('Neovim %d.%d.%d', v.major, v.minor, v.patch)
end

return M
