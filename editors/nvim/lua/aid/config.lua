-- Settings of aid.nvim. `require('aid').setup(opts)` merges opts over the defaults below.
local M = {}

M.defaults = {
  -- The aid executable: started as `aid daemon` when no daemon runs, and used by :checkhealth.
  aid_path = 'aid',
  -- The socket; nil finds it exactly as the daemon does ($AID_SOCKET, else
  -- $XDG_RUNTIME_DIR/aid/aid.sock, else /tmp/aid-$UID/aid.sock).
  socket = nil,
  -- Start the daemon when none runs.
  autostart = true,
  -- How long to keep trying to connect (after starting the daemon, or after a restart).
  connect_timeout_ms = 5000,
  -- The workspace root: nil (found from root_markers, else the current directory), a path, or
  -- a function(path_of_buffer) returning one.
  root = nil,
  root_markers = { '.aid', '.git', '.hg', '.jj' },
  -- Passed to edit/propose when set: a model id, and `unified-diff`, `search-replace` or
  -- `whole-file`.
  model = nil,
  strategy = nil,
  -- The answer window: the command that opens it, and whether the cursor goes there.
  split = 'botright 15split',
  focus = false,
  -- Buffer-local keys in the answer and diff buffers (false: none).
  keys = { apply = 'ga', reject = 'gr', cancel = '<C-c>', close = 'q' },
  -- Build diagnostics through vim.diagnostic (namespace "aid").
  diagnostics = true,
  -- What require('aid').statusline() shows; %d is the number of errors.
  statusline = {
    green = 'aid:green',
    red = 'aid:red(%d)',
    running = 'aid:building',
    unknown = 'aid:?',
    offline = '',
  },
}

M.options = vim.deepcopy(M.defaults)

function M.setup(opts)
  opts = opts or {}
  vim.validate({
    aid_path = { opts.aid_path, 's', true },
    socket = { opts.socket, 's', true },
    autostart = { opts.autostart, 'b', true },
    connect_timeout_ms = { opts.connect_timeout_ms, 'n', true },
    root = { opts.root, { 's', 'f' }, true },
    root_markers = { opts.root_markers, 't', true },
    model = { opts.model, 's', true },
    strategy = { opts.strategy, 's', true },
    split = { opts.split, 's', true },
    focus = { opts.focus, 'b', true },
    keys = { opts.keys, { 't', 'b' }, true },
    diagnostics = { opts.diagnostics, 'b', true },
    statusline = { opts.statusline, 't', true },
  })
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts)
  if opts.keys == false then
    M.options.keys = false
  end
  return M.options
end

return M
