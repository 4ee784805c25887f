-- wrk script for the free route through the same hooks as the payment scenarios: a request()
-- function building each request and a response() function looking at each answer.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non200 = 0 end
function request() return wrk.format("GET", "/free") end
function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non200") end
  io.write(string.format("free responses other than 200: %d\n", bad))
end
