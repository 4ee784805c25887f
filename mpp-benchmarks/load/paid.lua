-- wrk script for the paid scenario: every request carries its own single-use credential.
-- Each wrk thread takes every Nth line of the credentials file (N = number of threads).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file, stride = args[1], tonumber(args[2])
  auths = {}
  local n = 0
  for line in io.lines(file) do
    if n % stride == id then
      auths[#auths + 1] = line
    end
    n = n + 1
  end
  next_auth = 0
  non200 = 0
  exhausted = 0
  -- The table of credentials is large; LuaJIT's collector would re-mark it over and over and make
  -- the client the bottleneck. Each request allocates about 1 KB, a few hundred MB per run at most.
  collectgarbage("collect")
  collectgarbage("stop")
end

function request()
  next_auth = next_auth + 1
  if next_auth > #auths then
    exhausted = exhausted + 1
    next_auth = 1
  end
  return wrk.format("GET", "/api/premium", { ["Authorization"] = auths[next_auth] })
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local bad, reused = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("non200")
    reused = reused + t:get("exhausted")
  end
  io.write(string.format("paid responses other than 200: %d (credentials reused after exhaustion: %d)\n", bad, reused))
end
