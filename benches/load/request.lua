-- One fixed request, checked by common.lua: BENCH_METHOD (GET), BENCH_BODY (a form, sent as
-- application/x-www-form-urlencoded), BENCH_AUTH (the base64 of "client_id:secret" for Basic auth),
-- BENCH_EXPECT (text a good response body contains).

dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body ~= nil and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local auth = os.getenv("BENCH_AUTH")
if auth ~= nil and auth ~= "" then
  wrk.headers["Authorization"] = "Basic " .. auth
end

function response(status, headers, body)
  check(status, body)
end
