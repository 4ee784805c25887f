-- What paid.lua and junk.lua share: each wrk thread sends GET /api/premium with its own share of a
-- file of Authorization values (every Nth line, N = the stride), one value per request, starting
-- after the given offset and cycling when it runs out. Loaded with dofile by both scripts.
local M = {}
M.threads = {}
local counter = 0

function M.setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(M.threads, thread)
end

-- Loads this thread's share of the file; the first request sends its line (offset + 1).
function M.load(file, stride, offset)
  auths = {}
  local n = 0
  for line in io.lines(file) do
    if n % stride == id then
      auths[#auths + 1] = line
    end
    n = n + 1
  end
  next_auth = offset % #auths
  exhausted = 0
  -- The table of credentials is large; LuaJIT's collector would re-mark it over and over and make
  -- the client the bottleneck. Each request allocates about 1 KB, a few hundred MB per run at most.
  collectgarbage("collect")
  collectgarbage("stop")
end

-- The next request; counts in exhausted how often the share ran out and started over.
function M.request()
  next_auth = next_auth + 1
  if next_auth > #auths then
    exhausted = exhausted + 1
    next_auth = 1
  end
  return wrk.format("GET", "/api/premium", { ["Authorization"] = auths[next_auth] })
end

-- The sum over all threads of one of their global counters (in done()).
function M.total(name)
  local sum = 0
  for _, t in ipairs(M.threads) do
    sum = sum + t:get(name)
  end
  return sum
end

return M
