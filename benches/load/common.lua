-- Shared by the wrk scripts of benches/load.sh (loaded with dofile; BENCH_LUA_DIR names this directory).
--
-- A response is a success only when it is a 200 whose body contains BENCH_EXPECT; any other response is an error,
-- and so is every socket error or timeout wrk counts. done() prints one line for load.sh:
--   RESULT wrk ok=… errors=… rate=<successes per second> p50_ms=… p99_ms=… socket_errors=…
-- wrk runs with -t1, so every connection shares this one Lua state.

local expect = os.getenv("BENCH_EXPECT") or error("BENCH_EXPECT is not set")

good, bad = 0, 0
first_bad = nil -- the first failed response, shown to say what went wrong

-- Counts the response and returns whether it is a success.
function check(status, body)
  if status == 200 and body ~= nil and body:find(expect, 1, true) then
    good = good + 1
    return true
  end
  bad = bad + 1
  if first_bad == nil then
    first_bad = status .. " " .. string.sub(body or "", 1, 300)
  end
  return false
end

-- setup() and done() run in wrk's main Lua state: the counters live in the thread's, read with thread:get.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local ok, failed, sample = 0, 0, nil
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("good")
    failed = failed + thread:get("bad")
    sample = sample or thread:get("first_bad")
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT wrk ok=%d errors=%d rate=%.2f p50_ms=%.2f p99_ms=%.2f socket_errors=%d\n",
    ok, failed + socket_errors, ok / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    socket_errors))
  if sample ~= nil then
    io.write("first error: " .. sample .. "\n")
  end
  if report ~= nil then
    report(threads)
  end
end
