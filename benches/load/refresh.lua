-- The refresh_token grant, each refresh token sent once: a queue seeded from BENCH_REFRESH_TOKENS (one token a
-- line, each from a real code exchange); request() takes the oldest, response() queues the successor the server
-- rotated in. With wrk -t1 every connection shares this queue. BENCH_AUTH: base64 of "client_id:secret".
--
-- Pool size: at least one token per connection. A failed refresh gives no successor, so its connection would
-- run dry; then it sends "none-left", which the server refuses (an error, counted as "starved").

dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. (os.getenv("BENCH_AUTH") or error("BENCH_AUTH is not set"))

local queue, first, last = {}, 1, 0
local sent = {} -- every token sent, to prove none went twice
popped, pushed, starved, reused = 0, 0, 0, 0

function init(args)
  for line in io.lines(os.getenv("BENCH_REFRESH_TOKENS")) do
    if line ~= "" then
      last = last + 1
      queue[last] = line
    end
  end
end

function request()
  local token = "none-left"
  if first <= last then
    token = queue[first]
    queue[first] = nil
    first = first + 1
    popped = popped + 1
    if sent[token] then
      reused = reused + 1
    end
    sent[token] = true
  else
    starved = starved + 1
  end
  return wrk.format(nil, nil, nil, "grant_type=refresh_token&refresh_token=" .. token)
end

function response(status, headers, body)
  if check(status, body) then
    local token = body:match('"refresh_token":"([^"]+)"')
    if token ~= nil then
      last = last + 1
      queue[last] = token
      pushed = pushed + 1
    end
  end
end

function report(threads)
  local p, q, s, r = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    p = p + thread:get("popped")
    q = q + thread:get("pushed")
    s = s + thread:get("starved")
    r = r + thread:get("reused")
  end
  io.write(string.format("RESULT refresh popped=%d pushed=%d starved=%d reused=%d\n", p, q, s, r))
end
