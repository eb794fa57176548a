-- A clean Neovim for the tests: only aid.nvim on the runtimepath, no user configuration.
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local plugin_root = vim.fn.fnamemodify(here, ':h')
vim.opt.runtimepath = { plugin_root, vim.env.VIMRUNTIME }
vim.opt.packpath = {}
vim.o.swapfile = false
vim.o.shada = ''
vim.o.more = false
vim.o.hidden = true
package.path = here .. '/?.lua;' .. package.path
require('aid').setup({
  aid_path = os.getenv('AID_BIN') or 'aid',
  connect_timeout_ms = 10000,
})

-- Messages on their own lines in the test log (errors keep Neovim's behaviour).
local notify = vim.notify
vim.notify = function(msg, level, opts)
  if level and level >= vim.log.levels.ERROR then
    return notify(msg, level, opts)
  end
  io.stdout:write('  [notify] ' .. tostring(msg) .. '\n')
end
