-- Writes an order's whole record again from what a live process holds (after Redis lost its data),
-- with its open-set and receipt-index memberships, in one fenced step.
-- KEYS[1] the order's hash, KEYS[2] the open set, KEYS[3] every order by receipt time, KEYS[4] the lease's fencing-token counter
-- ARGV[1] the clientOrderId, ARGV[2] '1' when the state is final, ARGV[3] received at (epoch ms),
-- ARGV[4] this writer's lease token, ARGV[5..] field, value pairs for the hash
-- Returns 1; a FENCED error when the token is superseded.
local fenced = refuseIfFenced(KEYS[4], ARGV[4])
if fenced then return fenced end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
if ARGV[2] == '1' then redis.call('SREM', KEYS[2], ARGV[1]) else redis.call('SADD', KEYS[2], ARGV[1]) end
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return 1
