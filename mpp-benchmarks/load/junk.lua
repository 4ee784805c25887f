-- wrk script for the flood scenario: every request carries a distinct junk credential (a fresh,
-- correctly bound challenge with the payload {"type":"junk"}), cycling through the file from the
-- given offset (so consecutive runs send credentials not sent before).
-- Counts the answers: the junk refusal (invalid-payload) and store_unavailable (the replay store
-- refused a claim: the lock-out of issue 11).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file, stride, offset = args[1], tonumber(args[2]), tonumber(args[3] or "0")
  auths = {}
  local n = 0
  for line in io.lines(file) do
    if n % stride == id then
      auths[#auths + 1] = line
    end
    n = n + 1
  end
  next_auth = offset % #auths
  refused = 0
  store_full = 0
  used = 0
  other = 0
  collectgarbage("collect")
  collectgarbage("stop")
end

function request()
  next_auth = next_auth + 1
  if next_auth > #auths then
    next_auth = 1
  end
  return wrk.format("GET", "/api/premium", { ["Authorization"] = auths[next_auth] })
end

function response(status, headers, body)
  if body:find("store_unavailable", 1, true) then
    store_full = store_full + 1
  elseif status == 402 and body:find("invalid-payload", 1, true) then
    refused = refused + 1
  elseif body:find("challenge_used", 1, true) then
    used = used + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local r, s, u, o = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    r = r + t:get("refused")
    s = s + t:get("store_full")
    u = u + t:get("used")
    o = o + t:get("other")
  end
  io.write(string.format(
    "junk answers: refused %d, store_unavailable %d, challenge_used %d, other %d\n", r, s, u, o))
end
