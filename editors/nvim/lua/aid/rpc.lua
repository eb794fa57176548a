-- JSON-RPC 2.0 with LSP framing over the daemon's Unix socket (vim.loop pipe).
--
-- The client connects lazily, starts `aid daemon` when nothing listens, sends `initialize` on
-- every connection, and survives daemon restarts: when the connection drops it reconnects,
-- initializes again and re-sends every request that has no answer yet (and those answered with
-- -32002 DaemonRestarting). Handlers and stream callbacks run on the main loop (vim.schedule),
-- in the order the messages arrived, so they may touch buffers.
local uv = vim.uv or vim.loop

local M = {}

M.errors = {
  parse = -32700,
  method_not_found = -32601,
  cancelled = -32800,
  restarting = -32002,
  unavailable = -32099, -- local: no connection could be made
}

local MAX_SENDS = 4 -- a request that keeps losing its connection gives up after this many sends
local HEADER_LIMIT = 8192

-- Where the daemon listens: $AID_SOCKET, else $XDG_RUNTIME_DIR/aid/aid.sock, else
-- /tmp/aid-$UID/aid.sock.
function M.socket_path()
  local s = os.getenv('AID_SOCKET')
  if s and s ~= '' then
    return s
  end
  local x = os.getenv('XDG_RUNTIME_DIR')
  if x and x ~= '' then
    return x .. '/aid/aid.sock'
  end
  return '/tmp/aid-' .. uv.getuid() .. '/aid.sock'
end

function M.frame(body)
  return 'Content-Length: ' .. #body .. '\r\n\r\n' .. body
end

function M.encode(msg)
  return M.frame(vim.json.encode(msg))
end

local decode_opts = { luanil = { object = true, array = true } }
function M.decode(body)
  return vim.json.decode(body, decode_opts)
end

--------------------------------------------------------------------------------------------
-- Frame decoder: feed it chunks as they arrive; it returns the complete bodies.

local Decoder = {}
Decoder.__index = Decoder

function M.decoder()
  return setmetatable({ parts = {}, size = 0, need = nil }, Decoder)
end

-- Returns a list of bodies, or nil and an error when the stream cannot be resynchronised.
function Decoder:feed(chunk)
  local out = {}
  if chunk and #chunk > 0 then
    self.parts[#self.parts + 1] = chunk
    self.size = self.size + #chunk
  end
  while true do
    if not self.need then
      local buf = table.concat(self.parts)
      self.parts = { buf }
      local hend = buf:find('\r\n\r\n', 1, true)
      if not hend then
        if #buf > HEADER_LIMIT then
          return nil, 'header block longer than 8 KiB'
        end
        break
      end
      local len
      for line in buf:sub(1, hend - 1):gmatch('[^\r\n]+') do
        local name, value = line:match('^([^:]+):%s*(.-)%s*$')
        if name and name:lower() == 'content-length' then
          len = tonumber(value)
        end
      end
      local rest = buf:sub(hend + 4)
      self.parts = { rest }
      self.size = #rest
      if not len or len < 0 then
        return nil, 'a frame without a valid Content-Length'
      end
      self.need = len
    end
    if self.size < self.need then
      break
    end
    local buf = #self.parts == 1 and self.parts[1] or table.concat(self.parts)
    out[#out + 1] = buf:sub(1, self.need)
    local rest = buf:sub(self.need + 1)
    self.parts = { rest }
    self.size = #rest
    self.need = nil
  end
  return out
end

--------------------------------------------------------------------------------------------
-- Client

local Client = {}
Client.__index = Client

-- opts:
--   socket()           -> the socket path
--   aid_path()         -> the aid executable (for autostart)
--   autostart          -> start `aid daemon` when nothing listens
--   connect_timeout_ms -> how long to keep trying
--   init_params()      -> the params of `initialize`
--   on_notification(method, params)  notifications not claimed by a request's stream token
--   on_ready(init_result, reconnected)
--   on_state(state, detail)          'connecting', 'ready', 'disconnected'
function M.new(opts)
  return setmetatable({
    opts = opts,
    state = 'disconnected', -- 'connecting' | 'initializing' | 'ready' | 'disconnected' | 'closed'
    pipe = nil,
    next_id = 0,
    pending = {}, -- id -> request
    streams = {}, -- stream/progress token -> request
    server = nil, -- the initialize result of the current connection
    connections = 0,
    last_error = nil,
  }, Client)
end

function Client:_emit_state(detail)
  if self.opts.on_state then
    local ok, err = pcall(self.opts.on_state, self.state, detail)
    if not ok then
      vim.notify('aid: ' .. tostring(err), vim.log.levels.ERROR)
    end
  end
end

function Client:is_ready()
  return self.state == 'ready'
end

local function sorted_ids(pending)
  local ids = {}
  for id in pairs(pending) do
    ids[#ids + 1] = id
  end
  table.sort(ids)
  return ids
end

function Client:_write(msg)
  if not self.pipe then
    return false
  end
  local ok = pcall(self.pipe.write, self.pipe, M.encode(msg))
  return ok
end

function Client:_finish(req, err, result)
  if self.pending[req.id] ~= req then
    return
  end
  self.pending[req.id] = nil
  for _, t in ipairs(req.tokens) do
    if self.streams[t] == req then
      self.streams[t] = nil
    end
  end
  if req.handler then
    local ok, e = pcall(req.handler, err, result)
    if not ok then
      vim.notify('aid: ' .. tostring(e), vim.log.levels.ERROR)
    end
  end
end

function Client:_send_request(req)
  req.sends = req.sends + 1
  if req.sends > 1 and req.on_resend then
    pcall(req.on_resend, req.sends)
  end
  req.sent = true
  self:_write({ jsonrpc = '2.0', id = req.id, method = req.method, params = req.params })
end

-- Sends a request; handler(err, result) runs on the main loop. ropts:
--   tokens    = { token, ... } stream tokens whose notifications go to on_stream
--   on_stream = function(method, params)
--   on_resend = function(send_count) called before the request is sent again after a reconnect
-- Returns the request id.
function Client:request(method, params, handler, ropts)
  ropts = ropts or {}
  self.next_id = self.next_id + 1
  local req = {
    id = self.next_id,
    method = method,
    params = params or vim.empty_dict(),
    handler = handler,
    tokens = ropts.tokens or {},
    on_stream = ropts.on_stream,
    on_resend = ropts.on_resend,
    sends = 0,
    sent = false,
    cancelled = false,
  }
  self.pending[req.id] = req
  for _, t in ipairs(req.tokens) do
    self.streams[t] = req
  end
  if self.state == 'ready' then
    self:_send_request(req)
  else
    self:connect()
  end
  return req.id
end

-- Waits (bounded) for the answer; returns err, result. Only from the main loop, never in a
-- callback of this client.
function Client:request_sync(method, params, timeout_ms)
  local done, rerr, rres = false, nil, nil
  local id = self:request(method, params, function(err, result)
    done, rerr, rres = true, err, result
  end)
  local ok = vim.wait(timeout_ms or 5000, function()
    return done
  end, 5)
  if not ok then
    self:cancel(id)
    return { code = M.errors.unavailable, message = method .. ' timed out after ' .. (timeout_ms or 5000) .. ' ms' }
  end
  return rerr, rres
end

function Client:notify(method, params)
  if self.state == 'ready' then
    self:_write({ jsonrpc = '2.0', method = method, params = params or vim.empty_dict() })
  end
end

-- Cancels a request: `$/cancelRequest` when the daemon has it (it then answers -32800),
-- else it is answered -32800 here at once.
function Client:cancel(id)
  local req = self.pending[id]
  if not req or req.cancelled then
    return
  end
  req.cancelled = true
  if req.sent and self.state == 'ready' then
    self:notify('$/cancelRequest', { id = id })
  else
    self:_finish(req, { code = M.errors.cancelled, message = 'cancelled' })
  end
end

function Client:pending_count()
  local n = 0
  for _ in pairs(self.pending) do
    n = n + 1
  end
  return n
end

--------------------------------------------------------------------------------------------
-- Connection

function Client:_spawn_daemon()
  local path = self.opts.aid_path()
  local handle, err
  handle, err = uv.spawn(path, { args = { 'daemon' }, detached = true, hide = true }, function()
    if handle and not handle:is_closing() then
      handle:close()
    end
  end)
  if not handle then
    return false, 'cannot start `' .. path .. ' daemon`: ' .. tostring(err)
      .. " (set require('aid').setup({ aid_path = ... }))"
  end
  return true
end

-- Connects unless connected or connecting. allow_spawn: start the daemon when nothing listens
-- (default: when requests are waiting).
function Client:connect(allow_spawn)
  if self.state ~= 'disconnected' and self.state ~= 'closed' then
    return
  end
  self.state = 'connecting'
  self:_emit_state()
  local deadline = uv.hrtime() / 1e6 + (self.opts.connect_timeout_ms or 5000)
  local spawned = false
  local delay = 10
  local path = self.opts.socket()

  local function attempt()
    local pipe = uv.new_pipe(false)
    pipe:connect(path, function(err)
      vim.schedule(function()
        if self.state ~= 'connecting' then
          pipe:close()
          return
        end
        if not err then
          self:_on_connected(pipe)
          return
        end
        pipe:close()
        local spawn_ok = allow_spawn
        if spawn_ok == nil then
          spawn_ok = next(self.pending) ~= nil
        end
        if not spawned and spawn_ok and self.opts.autostart then
          spawned = true
          local ok, serr = self:_spawn_daemon()
          if not ok then
            self:_give_up(serr)
            return
          end
        end
        if uv.hrtime() / 1e6 >= deadline then
          self:_give_up('cannot connect to the aid daemon at ' .. path .. ': ' .. tostring(err))
          return
        end
        local timer = uv.new_timer()
        timer:start(delay, 0, function()
          timer:close()
          vim.schedule(attempt)
        end)
        delay = math.min(delay * 2, 250)
      end)
    end)
  end
  attempt()
end

function Client:_give_up(message)
  self.state = 'disconnected'
  self.last_error = message
  self:_emit_state(message)
  for _, id in ipairs(sorted_ids(self.pending)) do
    local req = self.pending[id]
    self:_finish(req, { code = M.errors.unavailable, message = message })
  end
end

function Client:_on_connected(pipe)
  self.pipe = pipe
  self.state = 'initializing'
  self.decoder = M.decoder()
  local reconnected = self.connections > 0
  self.connections = self.connections + 1
  pipe:read_start(function(err, data)
    if err or not data then
      vim.schedule(function()
        self:_on_closed(pipe, err)
      end)
      return
    end
    local bodies, derr = self.decoder:feed(data)
    if not bodies then
      vim.schedule(function()
        self:_on_closed(pipe, derr)
      end)
      return
    end
    if #bodies == 0 then
      return
    end
    vim.schedule(function()
      if self.pipe ~= pipe then
        return
      end
      for _, body in ipairs(bodies) do
        local ok, msg = pcall(M.decode, body)
        if ok and type(msg) == 'table' then
          self:_dispatch(msg)
        end
      end
    end)
  end)
  -- initialize goes first; the waiting requests follow once it is answered.
  self.next_id = self.next_id + 1
  local init_id = self.next_id
  self.init_id = init_id
  self:_write({ jsonrpc = '2.0', id = init_id, method = 'initialize', params = self.opts.init_params() })
  -- A daemon that accepts but never answers must not hold the requests forever.
  local timer = uv.new_timer()
  timer:start(self.opts.connect_timeout_ms or 5000, 0, function()
    timer:close()
    vim.schedule(function()
      if self.pipe == pipe and self.state == 'initializing' then
        self.on_init = nil
        self:_close_pipe()
        self:_give_up('the daemon accepted the connection but did not answer initialize')
      end
    end)
  end)
  self.on_init = function(ierr, result)
    if ierr then
      self.last_error = 'initialize failed: ' .. tostring(ierr.message)
      self:_close_pipe()
      self:_give_up(self.last_error)
      return
    end
    self.server = result
    self.state = 'ready'
    self.last_error = nil
    for _, id in ipairs(sorted_ids(self.pending)) do
      local req = self.pending[id]
      if req and not req.sent then
        if req.cancelled then
          self:_finish(req, { code = M.errors.cancelled, message = 'cancelled' })
        elseif req.sends >= MAX_SENDS then
          self:_finish(req, { code = M.errors.unavailable, message = 'the connection was lost ' .. req.sends .. ' times' })
        else
          self:_send_request(req)
        end
      end
    end
    self:_emit_state()
    if self.opts.on_ready then
      local ok, e = pcall(self.opts.on_ready, result, reconnected)
      if not ok then
        vim.notify('aid: ' .. tostring(e), vim.log.levels.ERROR)
      end
    end
  end
end

function Client:_close_pipe()
  local pipe = self.pipe
  self.pipe = nil
  if pipe and not pipe:is_closing() then
    pcall(pipe.read_stop, pipe)
    pipe:close()
  end
end

function Client:_on_closed(pipe, err)
  if self.pipe ~= pipe then
    return
  end
  self:_close_pipe()
  self.server = nil
  if self.state == 'closed' then
    return
  end
  self.state = 'disconnected'
  self.last_error = err and tostring(err) or 'the daemon closed the connection'
  -- Whatever has no answer is sent again on the next connection.
  for _, req in pairs(self.pending) do
    req.sent = false
  end
  self:_emit_state(self.last_error)
  -- A restart keeps the listening socket, so this reconnects at once. The daemon is started
  -- again only when requests are waiting (not after `aid stop` with nothing to do).
  self:connect()
end

function Client:_dispatch(msg)
  if msg.method == nil then
    -- an answer
    if msg.id == self.init_id and self.on_init then
      local cb = self.on_init
      self.on_init = nil
      cb(msg.error, msg.result)
      return
    end
    local req = self.pending[msg.id]
    if not req then
      return
    end
    if msg.error and msg.error.code == M.errors.restarting and not req.cancelled then
      -- The daemon restarted before finishing it: send it again after reconnecting.
      req.sent = false
      return
    end
    self:_finish(req, msg.error, msg.result)
  elseif msg.id ~= nil then
    -- a request from the daemon: none is defined
    self:_write({
      jsonrpc = '2.0',
      id = msg.id,
      error = { code = M.errors.method_not_found, message = 'aid.nvim has no method ' .. tostring(msg.method) },
    })
  else
    local params = msg.params or {}
    local req = params.token ~= nil and self.streams[params.token] or nil
    if req and req.on_stream then
      local ok, e = pcall(req.on_stream, msg.method, params)
      if not ok then
        vim.notify('aid: ' .. tostring(e), vim.log.levels.ERROR)
      end
    elseif self.opts.on_notification then
      local ok, e = pcall(self.opts.on_notification, msg.method, params)
      if not ok then
        vim.notify('aid: ' .. tostring(e), vim.log.levels.ERROR)
      end
    end
  end
end

-- Closes the connection for good (Neovim exits): requests still waiting are dropped.
function Client:close()
  self.state = 'closed'
  self:_close_pipe()
  self.pending = {}
  self.streams = {}
end

return M
