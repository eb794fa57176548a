-- aid.nvim: commands only; the code is loaded on first use (lua/aid/).
if vim.g.loaded_aid then
  return
end
vim.g.loaded_aid = true

if vim.fn.has('nvim-0.7') == 0 then
  vim.api.nvim_err_writeln('aid.nvim needs Neovim 0.7 or newer')
  return
end

local function aid()
  return require('aid')
end

local command = vim.api.nvim_create_user_command

command('Aid', function(o)
  aid().ask(o.args, o)
end, { nargs = '*', range = true, desc = 'Ask Aid for a change (the range is the selection)' })

command('AidApply', function(o)
  aid().apply(o.fargs, o.bang)
end, {
  nargs = '*',
  bang = true,
  desc = 'Apply the last proposal (optionally only some of its files); ! applies to buffers edited since',
  complete = function()
    return aid().proposal_paths()
  end,
})

command('AidReject', function()
  aid().reject()
end, { desc = 'Reject the last proposal' })

command('AidCancel', function()
  aid().cancel()
end, { desc = 'Cancel the request in progress' })

command('AidStatus', function()
  aid().status()
end, { desc = 'Show the daemon: version, pid, generation, build' })

command('AidRestart', function()
  aid().restart()
end, { desc = 'Restart the daemon (clients reconnect by themselves)' })

command('AidBuild', function()
  aid().build_run()
end, { desc = 'Build the workspace now' })

command('AidDiagnostics', function()
  aid().diagnostics_to_qflist()
end, { desc = "Put the build's diagnostics in the quickfix list" })
