-- The answer window (the model's answer, streamed) and the diff window (the proposal).
local config = require('aid.config')

local M = {
  answer_buf = nil,
  diff_buf = nil,
  -- where the next streamed text goes: 0-based row and byte column of the buffer's end
  row = 0,
  col = 0,
  on_answer_closed = nil, -- set by init.lua: called when the answer leaves its last window
}

local HEADER_LINES = 4 -- prompt, status, blank, then the streamed answer
M.stream_row = HEADER_LINES - 1 -- 0-based row where the streamed answer starts

local function scratch(name, filetype)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].bufhidden = 'hide'
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = false
  pcall(vim.api.nvim_buf_set_name, buf, name)
  vim.bo[buf].filetype = filetype
  return buf
end

local function set_lines(buf, s, e, lines)
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, s, e, false, lines)
  vim.bo[buf].modifiable = false
end

local function map_keys(buf)
  local keys = config.options.keys
  if not keys then
    return
  end
  local function map(lhs, fn, desc)
    if lhs and lhs ~= '' then
      vim.keymap.set('n', lhs, fn, { buffer = buf, nowait = true, silent = true, desc = desc })
    end
  end
  map(keys.apply, function()
    require('aid').apply()
  end, 'aid: apply the proposal')
  map(keys.reject, function()
    require('aid').reject()
  end, 'aid: reject the proposal')
  map(keys.cancel, function()
    require('aid').cancel()
  end, 'aid: cancel the request')
  map(keys.close, function()
    pcall(vim.cmd, 'close')
  end, 'aid: close')
end

local function answer_buffer()
  if M.answer_buf and vim.api.nvim_buf_is_valid(M.answer_buf) then
    return M.answer_buf
  end
  local buf = scratch('aid://answer', 'markdown')
  map_keys(buf)
  vim.api.nvim_create_autocmd('BufWinLeave', {
    buffer = buf,
    callback = function()
      if M.on_answer_closed then
        -- after the window is gone, so that the state can be inspected
        vim.schedule(M.on_answer_closed)
      end
    end,
  })
  M.answer_buf = buf
  return buf
end

local function diff_buffer()
  if M.diff_buf and vim.api.nvim_buf_is_valid(M.diff_buf) then
    return M.diff_buf
  end
  M.diff_buf = scratch('aid://diff', 'diff')
  map_keys(M.diff_buf)
  return M.diff_buf
end

-- The first window of the current tab page that shows buf.
local function window_of(buf)
  if not buf then
    return nil
  end
  for _, win in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
    if vim.api.nvim_win_get_buf(win) == buf then
      return win
    end
  end
end

local function open_split(buf, anchor_win, cmd)
  local back = vim.api.nvim_get_current_win()
  if anchor_win then
    vim.api.nvim_set_current_win(anchor_win)
  end
  vim.cmd(cmd)
  local win = vim.api.nvim_get_current_win()
  vim.api.nvim_win_set_buf(win, buf)
  vim.wo[win].wrap = true
  vim.wo[win].number = false
  vim.wo[win].relativenumber = false
  if not config.options.focus and vim.api.nvim_win_is_valid(back) then
    vim.api.nvim_set_current_win(back)
  end
  return win
end

-- Starts a new answer: clears the buffers and shows the answer window.
function M.begin(prompt)
  local buf = answer_buffer()
  local first = vim.split(prompt, '\n', { plain = true })[1]
  set_lines(buf, 0, -1, { '## ' .. first, '_asking..._', '', '' })
  M.row, M.col = HEADER_LINES - 1, 0
  if M.diff_buf and vim.api.nvim_buf_is_valid(M.diff_buf) then
    set_lines(M.diff_buf, 0, -1, {})
    local dwin = window_of(M.diff_buf)
    if dwin and #vim.api.nvim_tabpage_list_wins(0) > 1 then
      vim.api.nvim_win_close(dwin, true)
    end
  end
  if not window_of(buf) then
    open_split(buf, nil, config.options.split)
  end
  return buf
end

-- The status line of the answer (line 2).
function M.status(text)
  local buf = M.answer_buf
  if buf and vim.api.nvim_buf_is_valid(buf) then
    set_lines(buf, 1, 2, { '_' .. text:gsub('\n', ' ') .. '_' })
  end
end

local function follow(buf)
  local last = vim.api.nvim_buf_line_count(buf)
  local current = vim.api.nvim_get_current_win()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_buf(win) == buf then
      local cur = vim.api.nvim_win_get_cursor(win)[1]
      if win ~= current or cur >= last - 1 then
        pcall(vim.api.nvim_win_set_cursor, win, { last, 0 })
      end
    end
  end
end

-- Appends streamed text at the end of the answer.
function M.append(text)
  local buf = M.answer_buf
  if not buf or not vim.api.nvim_buf_is_valid(buf) or text == '' then
    return
  end
  local parts = vim.split(text, '\n', { plain = true })
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_text(buf, M.row, M.col, M.row, M.col, parts)
  vim.bo[buf].modifiable = false
  if #parts == 1 then
    M.col = M.col + #parts[1]
  else
    M.row = M.row + #parts - 1
    M.col = #parts[#parts]
  end
  follow(buf)
end

-- The streamed text so far.
function M.answer_text()
  local buf = M.answer_buf
  if not buf or not vim.api.nvim_buf_is_valid(buf) then
    return ''
  end
  return table.concat(vim.api.nvim_buf_get_lines(buf, HEADER_LINES - 1, -1, false), '\n')
end

-- Drops the streamed text (the request is being asked again).
function M.clear_stream()
  local buf = M.answer_buf
  if buf and vim.api.nvim_buf_is_valid(buf) then
    set_lines(buf, HEADER_LINES - 1, -1, { '' })
    M.row, M.col = HEADER_LINES - 1, 0
  end
end

-- Whether the answer shows in a window of any tab page.
function M.answer_visible()
  return M.answer_buf ~= nil and vim.api.nvim_buf_is_valid(M.answer_buf) and #vim.fn.win_findbuf(M.answer_buf) > 0
end

-- Shows the proposal's diff below the answer.
function M.show_diff(p)
  local buf = diff_buffer()
  local n = #(p.files or {})
  local lines = {
    string.format('# proposal %s: %d file%s, %s (%s)', p.proposalId, n, n == 1 and '' or 's', p.model or '?', p.strategy or '?'),
  }
  if p.diff == nil or p.diff == '' then
    lines[#lines + 1] = '# the answer holds no change'
  elseif p.applies == false then
    lines[#lines + 1] = '# does not apply: ' .. tostring(p.applyError or '?'):gsub('\n', ' ')
  else
    lines[#lines + 1] = '# :AidApply applies it, :AidReject rejects it'
  end
  if p.diff and p.diff ~= '' then
    vim.list_extend(lines, vim.split(p.diff:gsub('\n$', ''), '\n', { plain = true }))
  end
  set_lines(buf, 0, -1, lines)
  if not window_of(buf) then
    local awin = window_of(M.answer_buf)
    if awin then
      open_split(buf, awin, 'belowright split')
    else
      open_split(buf, nil, config.options.split)
    end
  end
end

-- One line at the end of the diff buffer (applied, rejected, ...).
function M.diff_note(text)
  local buf = M.diff_buf
  if buf and vim.api.nvim_buf_is_valid(buf) then
    set_lines(buf, 1, 2, { '# ' .. text })
  end
end

return M
