-- wrk script for the flood scenario: every request carries a distinct junk credential (a fresh,
-- correctly bound challenge with the payload {"type":"junk"}), cycling through the file from the
-- given offset (so consecutive runs send credentials not sent before).
-- Counts the answers: the junk refusal (invalid-payload) and store_unavailable (the replay store
-- refused a claim: the lock-out of issue 11).
local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or ""
local credentials = dofile(here .. "credentials.lua")

setup = credentials.setup
request = credentials.request

function init(args)
  credentials.load(args[1], tonumber(args[2]), tonumber(args[3] or "0"))
  refused = 0
  store_full = 0
  used = 0
  other = 0
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
  local r, s = credentials.total("refused"), credentials.total("store_full")
  local u, o = credentials.total("used"), credentials.total("other")
  io.write(string.format(
    "junk answers: refused %d, store_unavailable %d, challenge_used %d, other %d\n", r, s, u, o))
end
