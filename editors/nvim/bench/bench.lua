-- Time from :Aid to the first streamed character in the answer buffer, against the daemon's
-- own time to first token (the proposal's timings.firstTokenMs) in the same run.
-- Run by bench/run, which provides the daemon and the fake model.
local uv = vim.uv or vim.loop
local aid = require('aid')
local ui = require('aid.ui')

local runs = tonumber(os.getenv('AID_BENCH_RUNS') or '50')
local warmup = 3
local out_file = os.getenv('AID_BENCH_OUT')

local function fail(msg)
  io.stdout:write('bench: ' .. msg .. '\n')
  vim.cmd('cquit 1')
end

vim.cmd('edit greet.py')
local c = aid.client()
c:connect(true)
if not vim.wait(15000, function()
  return c:is_ready()
end, 5) then
  fail('no connection: ' .. tostring(c.last_error))
end

local function percentile(values, p)
  local s = vim.deepcopy(values)
  table.sort(s)
  if #s == 0 then
    return 0 / 0
  end
  local idx = math.max(1, math.min(#s, math.ceil(p / 100 * #s)))
  return s[idx]
end

local client_ms, ttft_ms, command_ms, overhead_ms = {}, {}, {}, {}
for i = 1, runs + warmup do
  local first
  local t0 = uv.hrtime()
  vim.cmd('Aid bench: add a comment to greet')
  local returned = uv.hrtime()
  local req = aid.state().request
  -- The command returned: the answer buffer holds its header; the next change in the stream
  -- region is the first streamed text.
  vim.api.nvim_buf_attach(ui.answer_buf, false, {
    on_lines = function(_, _, _, firstline)
      if firstline >= ui.stream_row and not first then
        first = uv.hrtime()
        return true
      end
    end,
  })
  if not vim.wait(15000, function()
    return req.status ~= 'streaming'
  end, 1) then
    fail('run ' .. i .. ': no answer')
  end
  if req.status ~= 'done' then
    fail('run ' .. i .. ': ' .. req.status .. ' ' .. vim.inspect(req.error))
  end
  if not first then
    fail('run ' .. i .. ': no streamed text reached the buffer')
  end
  local t = req.result.timings or {}
  if i > warmup then
    local seen = (first - t0) / 1e6
    client_ms[#client_ms + 1] = seen
    ttft_ms[#ttft_ms + 1] = t.firstTokenMs or 0 / 0
    command_ms[#command_ms + 1] = (returned - t0) / 1e6
    overhead_ms[#overhead_ms + 1] = seen - (t.firstTokenMs or 0 / 0)
  end

end

local lines = {
  string.format('runs: %d (after %d warm-up runs), %s, aid.nvim %s', runs, warmup, require('aid.editor').editor_name(), aid.version),
  string.format('%-52s %8s %8s %8s', '', 'p50 ms', 'p90 ms', 'max ms'),
}
local function row(name, v)
  lines[#lines + 1] = string.format('%-52s %8.2f %8.2f %8.2f', name, percentile(v, 50), percentile(v, 90), percentile(v, 100))
end
row(':Aid -> first streamed char in the answer buffer', client_ms)
row("daemon's firstTokenMs (same runs)", ttft_ms)
row('added by the client, the socket and the delta (diff)', overhead_ms)
row('  of which :Aid itself (state, window, encode, write)', command_ms)
local text = table.concat(lines, '\n')
io.stdout:write(text .. '\n')
if out_file then
  local f = io.open(out_file, 'w')
  f:write(vim.json.encode({
    runs = runs,
    client_first_char_ms = client_ms,
    daemon_first_token_ms = ttft_ms,
    overhead_ms = overhead_ms,
    command_ms = command_ms,
    p50 = { client = percentile(client_ms, 50), daemon = percentile(ttft_ms, 50), overhead = percentile(overhead_ms, 50), command = percentile(command_ms, 50) },
  }))
  f:close()
end
vim.cmd('qall!')
