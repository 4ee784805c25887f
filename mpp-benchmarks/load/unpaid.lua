-- wrk script for the unpaid scenario: counts answers other than 402.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non402 = 0 end
function response(status, headers, body)
  if status ~= 402 then non402 = non402 + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non402") end
  io.write(string.format("unpaid responses other than 402: %d\n", bad))
end
