-- :checkhealth aid. Every problem comes with its fix; every wait is bounded.
local uv = vim.uv or vim.loop
local config = require('aid.config')
local rpc = require('aid.rpc')

local M = {}

local PROTOCOL_MAJOR = '1'

local bit = require('bit')
local h = vim.health or require('health')
local start = h.start or h.report_start
local ok = h.ok or h.report_ok
local info = h.info or h.report_info
local warn = h.warn or h.report_warn
local fail = h.error or h.report_error

-- Runs cmd (a list) and returns its trimmed stdout, or nil and why; waits at most timeout_ms.
local function run(cmd, timeout_ms)
  local out = {}
  local ok_start, job = pcall(vim.fn.jobstart, cmd, {
    stdout_buffered = true,
    on_stdout = function(_, data)
      out = data or {}
    end,
  })
  if not ok_start or job <= 0 then
    return nil, 'cannot run ' .. cmd[1]
  end
  local status = vim.fn.jobwait({ job }, timeout_ms)[1]
  if status == -1 then
    vim.fn.jobstop(job)
    return nil, 'no answer within ' .. timeout_ms .. ' ms'
  end
  return vim.trim(table.concat(out, '\n')), nil, status
end

-- Tries one connection (without starting a daemon); returns true or the error.
local function probe(path, timeout_ms)
  local done, result = false, nil
  local pipe = uv.new_pipe(false)
  pipe:connect(path, function(err)
    result = err or true
    done = true
  end)
  vim.wait(timeout_ms, function()
    return done
  end, 5)
  if not pipe:is_closing() then
    pipe:close()
  end
  if not done then
    return 'no answer within ' .. timeout_ms .. ' ms'
  end
  return result
end

local function octal(mode)
  return string.format('%o', bit.band(mode, 511))
end

function M.check()
  local opts = config.options

  start('aid executable')
  local exe = vim.fn.exepath(opts.aid_path)
  local cli_version
  if exe == '' then
    fail('aid executable not found: ' .. opts.aid_path, {
      'Install aid (swift build -c release, then put .build/release on $PATH),',
      "or name it: require('aid').setup({ aid_path = '/path/to/aid' })",
    })
  else
    local out, why = run({ exe, '--version' }, 3000)
    if out then
      cli_version = out:match('%d+%.%d+[%.%d]*') or out
      ok(string.format('%s (version %s)', exe, cli_version))
    else
      warn(exe .. ' --version failed: ' .. tostring(why), { 'Check that the binary runs: ' .. exe .. ' --version' })
    end
  end

  start('socket')
  local path = opts.socket or rpc.socket_path()
  local dir = vim.fn.fnamemodify(path, ':h')
  info('socket ' .. path .. (opts.socket and ' (from setup)' or ''))
  local dst = uv.fs_stat(dir)
  if not dst then
    warn('the socket directory ' .. dir .. ' does not exist yet', {
      'It is created when the daemon starts: run `aid daemon` or :AidStatus',
    })
  else
    local problems = false
    if dst.uid ~= uv.getuid() then
      problems = true
      fail(string.format('%s belongs to uid %d, not to you (uid %d)', dir, dst.uid, uv.getuid()), {
        'Remove it (the daemon recreates it), or point $AID_SOCKET at a directory of yours',
      })
    end
    if bit.band(dst.mode, 63) ~= 0 then
      problems = true
      fail(string.format('%s has mode %s: others can reach the socket', dir, octal(dst.mode)), {
        'chmod 700 ' .. dir,
      })
    end
    if not problems then
      ok(string.format('%s: mode %s, yours', dir, octal(dst.mode)))
    end
  end

  start('daemon')
  local reach = uv.fs_stat(path) and probe(path, 2000) or 'no socket at ' .. path
  if reach ~= true then
    fail('the daemon is not reachable: ' .. tostring(reach), {
      'Start it: `aid daemon` (or any :Aid command, which starts it when autostart is on)',
      'If it does not start, `aid doctor` names the problem and `aid logs` shows why',
    })
    return
  end
  local aid = require('aid')
  local client = aid.client()
  local err, st = client:request_sync('daemon/status', vim.empty_dict(), 3000)
  if err or not st then
    fail('daemon/status failed: ' .. tostring(err and err.message), {
      'Run `aid doctor`; restart the daemon with `aid restart`',
    })
    return
  end
  ok(string.format('aid %s, pid %s, generation %s, socket %s', st.version, st.pid, st.generation, st.socketPath))
  if st.configErrors and #st.configErrors > 0 then
    for _, e in ipairs(st.configErrors) do
      warn('configuration: ' .. (type(e) == 'table' and (e.message or vim.inspect(e)) or tostring(e)), {
        'Fix the file named above, check it with `aid config check`, then `aid restart`',
      })
    end
  end

  start('version')
  local server = client.server or {}
  local proto = st.protocolVersion or server.protocolVersion or '?'
  if tostring(proto):match('^(%d+)') == PROTOCOL_MAJOR then
    ok('protocol ' .. proto .. ' (aid.nvim ' .. aid.version .. ' speaks ' .. PROTOCOL_MAJOR .. '.x)')
  else
    fail('protocol ' .. tostring(proto) .. ', but aid.nvim ' .. aid.version .. ' speaks ' .. PROTOCOL_MAJOR .. '.x', {
      'Update aid.nvim and aid to matching releases',
    })
  end
  if cli_version and st.version and cli_version ~= st.version then
    warn(string.format('the running daemon is %s but %s is %s', st.version, exe, cli_version), {
      'Run :AidRestart (or `aid restart`) to run the installed binary',
    })
  elseif cli_version then
    ok('the running daemon is the installed version ' .. cli_version)
  end
  local methods = {}
  for _, m in ipairs((server.capabilities or {}).methods or {}) do
    methods[m] = true
  end
  local missing = {}
  for _, m in ipairs({ 'edit/propose', 'edit/apply', 'edit/feedback', 'build/status' }) do
    if not methods[m] then
      missing[#missing + 1] = m
    end
  end
  if #missing > 0 then
    warn('the daemon does not offer ' .. table.concat(missing, ', '), {
      'Install a newer aid and run :AidRestart',
    })
  else
    ok('edit/propose, edit/apply, edit/feedback and build/status are offered')
  end
end

return M
