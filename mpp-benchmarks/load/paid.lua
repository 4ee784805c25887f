-- wrk script for the paid scenario: every request carries its own single-use credential.
-- Each wrk thread takes every Nth line of the credentials file (N = number of threads).
local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or ""
local credentials = dofile(here .. "credentials.lua")

setup = credentials.setup
request = credentials.request

function init(args)
  credentials.load(args[1], tonumber(args[2]), 0)
  non200 = 0
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local bad, reused = credentials.total("non200"), credentials.total("exhausted")
  io.write(string.format("paid responses other than 200: %d (credentials reused after exhaustion: %d)\n", bad, reused))
end
