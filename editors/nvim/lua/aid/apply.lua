-- Applies a proposal: whole-line edits to open buffers (one undo step per buffer), the other
-- files through edit/apply (the daemon writes them), then edit/feedback.
local editor = require('aid.editor')

local M = {}

local function text_lines(text)
  if text == '' then
    return {}
  end
  local lines = vim.split(text, '\n', { plain = true })
  if lines[#lines] == '' then
    table.remove(lines) -- the text ends with a newline
  end
  return lines
end

-- Closes the current undo block of buf, so that what follows is one undo step of its own.
-- (Setting 'undolevels', even to its value, syncs undo; there is no API for it.)
local function undo_break(buf)
  vim.api.nvim_buf_call(buf, function()
    vim.cmd('let &undolevels = &undolevels')
  end)
end

-- Applies whole-line edits (0-based, end exclusive, ascending) to buf, last to first, as one
-- undo step.
function M.apply_edits(buf, edits)
  local sorted = vim.deepcopy(edits)
  table.sort(sorted, function(a, b)
    return a.range.start.line > b.range.start.line
  end)
  undo_break(buf)
  for _, e in ipairs(sorted) do
    local count = vim.api.nvim_buf_line_count(buf)
    local s = math.min(e.range.start.line, count)
    local stop = e.range['end'].line
    -- an end past the last line (a file without a final newline, or an append) is clamped
    if stop > count then
      stop = count
    end
    local lines = text_lines(e.newText or '')
    -- A buffer holds at least one line: replacing everything by nothing leaves it empty.
    vim.api.nvim_buf_set_lines(buf, s, stop, false, lines)
  end
  undo_break(buf)
end

local function file_abs(root, f)
  return editor.join(root, f.path)
end

-- Splits the proposal's files (optionally only `paths`) into those applied to loaded buffers
-- and those the daemon writes. Returns a plan or nil and an error.
function M.plan(proposal, root, paths, snapshot, force)
  local wanted
  if paths and #paths > 0 then
    wanted = {}
    for _, p in ipairs(paths) do
      wanted[p] = true
    end
  end
  local plan = { buffers = {}, daemon = {}, all = true, paths = {} }
  for _, f in ipairs(proposal.files or {}) do
    local abs = file_abs(root, f)
    if wanted and not (wanted[f.path] or wanted[abs] or wanted[editor.realpath(abs)]) then
      plan.all = false
    else
      plan.paths[#plan.paths + 1] = f.path
      local buf = editor.find_buffer(abs)
      if buf and (f.status == 'modified' or f.status == 'added') then
        local tick = snapshot and snapshot[editor.realpath(abs)]
        if tick and tick ~= vim.api.nvim_buf_get_changedtick(buf) and not force then
          return nil, f.path .. ' changed after the request; :AidApply! applies anyway, or ask again'
        end
        plan.buffers[#plan.buffers + 1] = { file = f, buf = buf }
      else
        plan.daemon[#plan.daemon + 1] = f.path
      end
    end
  end
  if #plan.paths == 0 then
    return nil, 'no file of the proposal matches ' .. table.concat(paths or {}, ', ')
  end
  return plan
end

-- Applies the plan's buffer part. An added file that is open gets its whole new text.
function M.apply_buffers(plan)
  local done = {}
  for _, item in ipairs(plan.buffers) do
    local f, buf = item.file, item.buf
    if f.status == 'added' and f.newText then
      undo_break(buf)
      vim.api.nvim_buf_set_lines(buf, 0, -1, false, text_lines(f.newText))
      undo_break(buf)
    else
      M.apply_edits(buf, f.edits or {})
    end
    done[#done + 1] = f.path
  end
  return done
end

-- Reloads buffers of files the daemon wrote (those that are loaded but were not edited here).
function M.reload(root, paths)
  for _, p in ipairs(paths) do
    local buf = editor.find_buffer(editor.join(root, p))
    if buf and not vim.bo[buf].modified then
      vim.api.nvim_buf_call(buf, function()
        vim.cmd('silent! checktime')
      end)
    end
  end
end

return M
