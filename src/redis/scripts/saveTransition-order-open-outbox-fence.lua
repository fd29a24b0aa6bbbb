-- Writes one order transition, and in the same step keeps the order's set memberships: a final
-- state leaves the open set, and fills not yet on the `fills` queue put the order in the outbox
-- (so a crash between storing a fill and publishing it cannot lose the publication).
-- KEYS[1] the order's hash, KEYS[2] the open set, KEYS[3] the fills outbox (orders with unpublished fills),
-- KEYS[4] the lease's fencing-token counter
-- ARGV[1] the clientOrderId, ARGV[2] '1' when the state is final, ARGV[3] '1' when fills were added,
-- ARGV[4] this writer's lease token, ARGV[5..] field, value pairs for the hash
-- Returns 1; a FENCED error when the token is superseded.
local fenced = refuseIfFenced(KEYS[4], ARGV[4])
if fenced then return fenced end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
if ARGV[2] == '1' then redis.call('SREM', KEYS[2], ARGV[1]) end
if ARGV[3] == '1' then redis.call('SADD', KEYS[3], ARGV[1]) end
return 1
