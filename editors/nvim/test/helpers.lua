-- A small test runner for headless Neovim: tests run in order, every wait is bounded
-- (vim.wait on a condition), and the process exits 0 only when every test passed.
local uv = vim.uv or vim.loop

local T = { tests = {} }

function T.test(name, fn)
  T.tests[#T.tests + 1] = { name = name, fn = fn }
end

local function fail(msg, level)
  error(msg, (level or 1) + 1)
end

function T.ok(cond, msg)
  if not cond then
    fail('assertion failed: ' .. (msg or '?'), 2)
  end
  return cond
end

function T.eq(got, want, msg)
  if not vim.deep_equal(got, want) then
    fail(string.format('%s\n  expected: %s\n  got:      %s', msg or 'not equal', vim.inspect(want), vim.inspect(got)), 2)
  end
end

function T.contains(text, needle, msg)
  if type(text) ~= 'string' or not text:find(needle, 1, true) then
    fail(string.format('%s: %s not found in %s', msg or 'missing text', vim.inspect(needle), vim.inspect(text)), 2)
  end
end

-- Waits until pred() is true; fails after timeout_ms naming what it waited for.
function T.wait(timeout_ms, pred, what)
  local ok = vim.wait(timeout_ms, pred, 5)
  if not ok then
    fail('timed out after ' .. timeout_ms .. ' ms waiting for ' .. (what or 'a condition'), 2)
  end
end

function T.log(fmt, ...)
  io.stdout:write(string.format(fmt, ...) .. '\n')
end

-- GET on the fake model server; returns the body. Bounded.
function T.http_get(url, timeout_ms)
  local host, port, path = url:match('^http://([^:/]+):(%d+)(/.*)$')
  local tcp = uv.new_tcp()
  local chunks, done, err = {}, false, nil
  tcp:connect(host, tonumber(port), function(cerr)
    if cerr then
      err, done = cerr, true
      return
    end
    tcp:write('GET ' .. path .. ' HTTP/1.0\r\nHost: ' .. host .. '\r\nConnection: close\r\n\r\n')
    tcp:read_start(function(rerr, data)
      if rerr or not data then
        err, done = rerr, true
        return
      end
      chunks[#chunks + 1] = data
      -- complete when the body has its Content-Length (the server keeps the connection open)
      local raw = table.concat(chunks)
      local hend = raw:find('\r\n\r\n', 1, true)
      local len = hend and tonumber(raw:sub(1, hend):lower():match('content%-length:%s*(%d+)'))
      if len and #raw - hend - 3 >= len then
        done = true
      end
    end)
  end)
  local finished = vim.wait(timeout_ms or 5000, function()
    return done
  end, 5)
  if not tcp:is_closing() then
    tcp:close()
  end
  if not finished or err then
    fail('GET ' .. url .. ' failed: ' .. tostring(err or 'timeout'), 2)
  end
  local raw = table.concat(chunks)
  local body = raw:match('\r\n\r\n(.*)$') or ''
  return body
end

function T.write_file(path, text)
  local f = assert(io.open(path, 'w'))
  f:write(text)
  f:close()
end

function T.read_file(path)
  local f = assert(io.open(path, 'r'))
  local s = f:read('*a')
  f:close()
  return s
end

-- Runs every test, writes one line per test, then quits with the status.
function T.run(only)
  local passed, failed = 0, 0
  for _, t in ipairs(T.tests) do
    if not only or t.name:find(only, 1, true) then
      local started = uv.hrtime()
      local ok, err = xpcall(t.fn, debug.traceback)
      local ms = (uv.hrtime() - started) / 1e6
      if ok then
        passed = passed + 1
        T.log('ok     %s (%.0f ms)', t.name, ms)
      else
        failed = failed + 1
        T.log('FAILED %s (%.0f ms)\n%s', t.name, ms, tostring(err):gsub('\n', '\n    '))
      end
    end
  end
  T.log('RESULT %d passed, %d failed', passed, failed)
  io.stdout:flush()
  if failed > 0 then
    vim.cmd('cquit 1')
  else
    vim.cmd('qall!')
  end
end

return T
