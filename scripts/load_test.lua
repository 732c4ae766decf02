-- wrk script for scripts/load_test.py: several paths round-robin, with a count per path.
--
--   wrk -s scripts/load_test.lua [options] -- http://127.0.0.1:PORT PATH SIGNATURE [PATH SIGNATURE ...]
--
-- Arguments after the URL come in pairs: a path and its signature, which is the text of the
-- page's <title>, or its Content-Type when it has no title (load_test.py reads both from one
-- warm-up request per path). wrk gives response() no way to tell which request a response
-- answers (a thread's connections interleave), so a response is counted for the path whose
-- signature it carries; one carrying none (an error page, say) is counted as "unattributed".
--
-- With a single path the script drops request() and response(): wrk then sends one static
-- request and skips buffering bodies, so per-URL runs measure the server, not this script.
--
-- done() prints one tab-separated line per path and one of totals, each starting "loadtest",
-- with latencies in microseconds. Latency is over all paths of the run (wrk keeps one
-- histogram), and its percentiles are wrk's own, after its correction for coordinated
-- omission: the figures `wrk --latency` prints.

local paths = {}
local by_signature = {}
local requests = {}
local next_index = 0

function init(args)
  for i = 1, #args, 2 do
    local index = #paths + 1
    paths[index] = args[i]
    by_signature[args[i + 1]] = index
    requests[index] = wrk.format("GET", args[i])
    -- plain globals, not a table: thread:get copies numbers safely across Lua states
    _G["responses_" .. index] = 0
    _G["errors_" .. index] = 0
  end
  npaths = #paths
  responses_0 = 0
  errors_0 = 0
  if npaths == 1 then
    wrk.path = paths[1]
    request = nil
    response = nil
  end
end

function request()
  next_index = next_index % npaths + 1
  return requests[next_index]
end

local function identify(headers, body)
  -- every page's <title> comes in its first few hundred bytes
  local title = body:sub(1, 4096):match("<title>(.-)</title>")
  if title then
    return by_signature[title] or 0
  end
  return by_signature[headers["Content-Type"] or ""] or 0
end

function response(status, headers, body)
  local index = identify(headers, body)
  local name = "responses_" .. index
  _G[name] = _G[name] + 1
  if status >= 400 then
    name = "errors_" .. index
    _G[name] = _G[name] + 1
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function sum(name)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get(name) or 0)
  end
  return total
end

function done(summary, latency, _)
  local count = threads[1]:get("npaths")
  for index = 0, count do
    io.write(string.format(
      "loadtest\tpath\tindex=%d\tresponses=%d\terrors=%d\n",
      index, sum("responses_" .. index), sum("errors_" .. index)
    ))
  end
  local errors = summary.errors
  io.write(string.format(
    "loadtest\ttotal\trequests=%d\tduration_us=%d\tbytes=%d\tp50_us=%d\tp99_us=%d\tmax_us=%d"
      .. "\tstatus=%d\tconnect=%d\tread=%d\twrite=%d\ttimeout=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.max,
    errors.status, errors.connect, errors.read, errors.write, errors.timeout
  ))
end
