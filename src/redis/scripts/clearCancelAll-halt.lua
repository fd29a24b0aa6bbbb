-- Marks a halt's cancel-all as done, only if the stored halt is still the one it was asked with (a
-- resume, or a newer halt from another node, in between is left as it is).
-- KEYS[1] the operator halt (JSON)
-- ARGV[1] the request id of the halt whose cancel-all was carried out
-- Returns 1 when marked, 0 when the stored halt is gone or another one.
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local halt = cjson.decode(raw)
if halt.requestId ~= ARGV[1] then return 0 end
halt.cancelAllPending = false
redis.call('SET', KEYS[1], cjson.encode(halt))
return 1
