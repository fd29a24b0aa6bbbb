-- Takes the namespace's lease when nobody holds it, with a new fencing token. The token is above
-- every token issued before, and above the Redis clock in microseconds, so it keeps growing even
-- if the counter was lost with the rest of Redis's data (and reads as the time it was issued).
-- KEYS[1] the lease (string "<nodeId>|<token>", with a TTL), KEYS[2] the fencing-token counter
-- ARGV[1] this node's id, ARGV[2] the TTL in ms
-- Returns {token, holder}: token 0 when another node holds it (holder names it).
local holder = redis.call('GET', KEYS[1])
if holder then return {0, holder} end
local now = redis.call('TIME')
local clockUs = tonumber(now[1]) * 1000000 + tonumber(now[2])
local token = math.max(tonumber(redis.call('GET', KEYS[2]) or '0') + 1, clockUs)
redis.call('SET', KEYS[2], string.format('%d', token))
local value = ARGV[1] .. '|' .. string.format('%d', token)
redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
return {token, value}
