-- wrk script for the session scenarios: GET /api/metered with the Authorization values of a file
-- (each wrk thread takes every Nth line, N = the number of threads, and cycles when its share runs
-- out), counting the 200s exactly so that the run can be checked against the channels' spent.
-- Arguments: FILE THREADS.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local stride = tonumber(args[2])
  auths = {}
  local n = 0
  for line in io.lines(args[1]) do
    if n % stride == id then
      auths[#auths + 1] = line
    end
    n = n + 1
  end
  next_auth = 0
  ok = 0
  other = 0
  exhausted = 0
  collectgarbage("collect")
  collectgarbage("stop")
end

function request()
  next_auth = next_auth + 1
  if next_auth > #auths then
    exhausted = exhausted + 1
    next_auth = 1
  end
  return wrk.format("GET", "/api/metered", { ["Authorization"] = auths[next_auth] })
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local o, x, e = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    x = x + t:get("other")
    e = e + t:get("exhausted")
  end
  io.write(string.format("session 200s: %d other: %d (credential lists restarted: %d)\n", o, x, e))
end
