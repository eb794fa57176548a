-- Tests of lua/aid/rpc.lua against a scripted socket server in this Neovim: framing,
-- streams, cancellation, reconnect with re-initialize and re-send, -32002, autostart.
local T = require('helpers')
local rpc = require('aid.rpc')
local uv = vim.uv or vim.loop

local dir = vim.fn.tempname()
vim.fn.mkdir(dir, 'p')

--------------------------------------------------------------------------------------------
-- A scripted server: on_message(conn, msg) for every message; conn:send(msg), conn:close().

local function server(path)
  local s = { conns = {}, received = {}, inits = 0 }
  s.handle = uv.new_pipe(false)
  assert(s.handle:bind(path))
  s.handle:listen(16, function()
    local pipe = uv.new_pipe(false)
    s.handle:accept(pipe)
    local conn = { pipe = pipe, open = true }
    function conn.send(msg)
      if conn.open then
        pipe:write(rpc.encode(msg))
      end
    end
    function conn.close()
      if conn.open then
        conn.open = false
        pipe:close()
      end
    end
    s.conns[#s.conns + 1] = conn
    local dec = rpc.decoder()
    pipe:read_start(function(err, data)
      if err or not data then
        vim.schedule(conn.close)
        return
      end
      local bodies = dec:feed(data)
      vim.schedule(function()
        for _, b in ipairs(bodies or {}) do
          local msg = rpc.decode(b)
          s.received[#s.received + 1] = msg
          if msg.method == 'initialize' then
            s.inits = s.inits + 1
            conn.send({ jsonrpc = '2.0', id = msg.id, result = { serverName = 'fake', serverVersion = '9.9.9', pid = 1, generation = s.inits - 1 } })
          elseif s.on_message then
            s.on_message(conn, msg)
          end
        end
      end)
    end)
  end)
  function s.stop()
    for _, c in ipairs(s.conns) do
      c.close()
    end
    s.handle:close()
    os.remove(path)
  end
  function s.count(method)
    local n = 0
    for _, m in ipairs(s.received) do
      if m.method == method then
        n = n + 1
      end
    end
    return n
  end
  return s
end

local counter = 0
local function client(path, extra)
  local opts = {
    socket = function()
      return path
    end,
    aid_path = function()
      return 'aid-does-not-exist'
    end,
    autostart = false,
    connect_timeout_ms = 3000,
    init_params = function()
      return { clientName = 'test' }
    end,
  }
  for k, v in pairs(extra or {}) do
    opts[k] = v
  end
  return rpc.new(opts)
end

local function socket()
  counter = counter + 1
  return dir .. '/s' .. counter .. '.sock'
end

--------------------------------------------------------------------------------------------

T.test('the decoder reads frames split anywhere, several per chunk, any header case', function()
  local a = rpc.encode({ jsonrpc = '2.0', id = 1, result = 'é ü' })
  local b = 'content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}'
  local stream = a .. b .. a
  local d = rpc.decoder()
  local got = {}
  for i = 1, #stream do
    for _, body in ipairs(d:feed(stream:sub(i, i))) do
      got[#got + 1] = body
    end
  end
  T.eq(#got, 3, 'three bodies byte by byte')
  T.eq(rpc.decode(got[1]).result, 'é ü', 'UTF-8 body')
  T.eq(got[2], '{}', 'lower-case header and an extra header')
  local d2 = rpc.decoder()
  T.eq(#d2:feed(stream), 3, 'three bodies in one chunk')
  local d3 = rpc.decoder()
  local bodies, err = d3:feed('Content-Type: x\r\n\r\n{}')
  T.eq(bodies, nil, 'no Content-Length is an error')
  T.ok(err, 'with a message')
end)

T.test('initialize comes first; stream notifications reach the request before its result', function()
  local path = socket()
  local s = server(path)
  local events = {}
  s.on_message = function(conn, msg)
    if msg.method == 'edit/propose' then
      conn.send({ jsonrpc = '2.0', method = 'edit/delta', params = { token = msg.params.streamToken, text = 'Hel', round = 0 } })
      conn.send({ jsonrpc = '2.0', method = 'edit/delta', params = { token = msg.params.streamToken, text = 'lo', round = 0 } })
      conn.send({ jsonrpc = '2.0', method = 'build/statusChanged', params = { workspaceRoot = '/w', status = { state = 'green' } } })
      conn.send({ jsonrpc = '2.0', id = msg.id, result = { text = 'Hello' } })
    end
  end
  local c = client(path, {
    on_notification = function(method)
      events[#events + 1] = 'notification ' .. method
    end,
  })
  local result
  c:request('edit/propose', { prompt = 'x', streamToken = 'tok' }, function(err, r)
    result = r
    events[#events + 1] = 'result ' .. tostring(err == nil)
  end, {
    tokens = { 'tok' },
    on_stream = function(_, p)
      events[#events + 1] = 'delta ' .. p.text
    end,
  })
  T.wait(3000, function()
    return result ~= nil
  end, 'the result')
  T.eq(s.received[1].method, 'initialize', 'initialize first')
  T.eq(events, { 'delta Hel', 'delta lo', 'notification build/statusChanged', 'result true' }, 'order')
  c:close()
  s.stop()
end)

T.test('a dropped connection: reconnect, initialize again, re-send what has no answer', function()
  local path = socket()
  local s = server(path)
  local seen = 0
  s.on_message = function(conn, msg)
    if msg.method == 'slow' then
      seen = seen + 1
      if seen == 1 then
        conn.close() -- like a restart: the request is never answered
      else
        conn.send({ jsonrpc = '2.0', id = msg.id, result = { attempt = seen } })
      end
    elseif msg.method == 'fast' then
      conn.send({ jsonrpc = '2.0', id = msg.id, result = 'ok' })
    end
  end
  local ready_calls = {}
  local c = client(path, {
    on_ready = function(r, reconnected)
      ready_calls[#ready_calls + 1] = reconnected
    end,
  })
  local answers, resends = {}, {}
  local fast_id = c:request('fast', {}, function(err, r)
    answers[#answers + 1] = { 'fast', err, r }
  end)
  T.wait(3000, function()
    return #answers == 1
  end, 'the fast answer')
  local id = c:request('slow', { n = 1 }, function(err, r)
    answers[#answers + 1] = { 'slow', err, r }
  end, {
    on_resend = function(n)
      resends[#resends + 1] = n
    end,
  })
  T.wait(3000, function()
    return #answers == 2
  end, 'the slow answer after the reconnection')
  T.eq(answers[2], { 'slow', nil, { attempt = 2 } }, 'answered once, on the second connection')
  T.eq(s.inits, 2, 'initialize on each connection')
  T.eq(s.count('fast'), 1, 'the answered request was not sent again')
  T.eq(s.count('slow'), 2, 'the unanswered one was')
  T.eq(resends, { 2 }, 'on_resend')
  T.eq(ready_calls, { false, true }, 'on_ready(reconnected)')
  local ids = {}
  for _, m in ipairs(s.received) do
    if m.method == 'slow' then
      ids[#ids + 1] = m.id
    end
  end
  T.eq(ids, { id, id }, 'the same id both times')
  T.ok(fast_id < id, 'ids grow')
  c:close()
  s.stop()
end)

T.test('-32002 DaemonRestarting answers are sent again after reconnecting', function()
  local path = socket()
  local s = server(path)
  local seen = 0
  s.on_message = function(conn, msg)
    if msg.method == 'work' then
      seen = seen + 1
      if seen == 1 then
        conn.send({ jsonrpc = '2.0', id = msg.id, error = { code = -32002, message = 'restarting' } })
        conn.close()
      else
        conn.send({ jsonrpc = '2.0', id = msg.id, result = 'done' })
      end
    end
  end
  local c = client(path)
  local got
  c:request('work', {}, function(err, r)
    got = { err = err, r = r }
  end)
  T.wait(3000, function()
    return got ~= nil
  end, 'the answer')
  T.eq(got, { r = 'done' }, 'the -32002 was not passed on; the second answer was')
  T.eq(s.count('work'), 2, 'sent twice')
  c:close()
  s.stop()
end)

T.test('cancel: $/cancelRequest for a sent request, a local -32800 for one not yet sent', function()
  local path = socket()
  local s = server(path)
  s.on_message = function(conn, msg)
    if msg.method == '$/cancelRequest' then
      conn.send({ jsonrpc = '2.0', id = msg.params.id, error = { code = -32800, message = 'cancelled' } })
    end
  end
  local c = client(path)
  local got
  local id = c:request('hang', {}, function(err)
    got = err
  end)
  T.wait(3000, function()
    return s.count('hang') == 1
  end, 'the request at the server')
  c:cancel(id)
  T.wait(3000, function()
    return got ~= nil
  end, 'the cancelled answer')
  T.eq(got.code, -32800, 'code')
  T.eq(s.count('$/cancelRequest'), 1, 'one $/cancelRequest')
  T.eq(s.received[#s.received].params, { id = id }, 'naming the request')
  c:close()
  s.stop()

  -- Not connected: the request waits for the connection and is cancelled here.
  local c2 = client(dir .. '/nobody.sock')
  local got2
  local id2 = c2:request('x', {}, function(err)
    got2 = err
  end)
  c2:cancel(id2)
  T.eq(got2 and got2.code, -32800, 'cancelled at once')
  c2:close()
end)

T.test('autostart: starts `aid daemon` when nothing listens, then connects', function()
  local path = socket()
  local marker = dir .. '/started'
  local fake_aid = dir .. '/fake-aid'
  T.write_file(fake_aid, '#!/bin/sh\necho "$@" > ' .. marker .. '\n')
  vim.fn.setfperm(fake_aid, 'rwx------')
  local c = client(path, {
    autostart = true,
    aid_path = function()
      return fake_aid
    end,
  })
  local got
  c:request('ping', {}, function(err, r)
    got = { err = err, r = r }
  end)
  T.wait(3000, function()
    return (vim.uv or vim.loop).fs_stat(marker) ~= nil
  end, 'the daemon to be started')
  T.eq(vim.trim(T.read_file(marker)), 'daemon', 'started as `aid daemon`')
  local s = server(path) -- the "daemon" now listens; the client is retrying
  s.on_message = function(conn, msg)
    conn.send({ jsonrpc = '2.0', id = msg.id, result = 'pong' })
  end
  T.wait(3000, function()
    return got ~= nil
  end, 'the answer')
  T.eq(got, { r = 'pong' }, 'answered')
  c:close()
  s.stop()
end)

T.test('no daemon and no autostart: waiting requests fail with the reason', function()
  local c = client(dir .. '/nobody-else.sock', { connect_timeout_ms = 200 })
  local got
  c:request('x', {}, function(err)
    got = err
  end)
  T.wait(3000, function()
    return got ~= nil
  end, 'the failure')
  T.contains(got.message, 'cannot connect', 'message')
  T.eq(c.state, 'disconnected', 'state')
end)

T.run(os.getenv('AID_TEST_ONLY'))
