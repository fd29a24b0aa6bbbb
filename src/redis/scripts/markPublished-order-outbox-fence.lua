-- The `fills` queue has an order's fills up to a filled quantity: record it, and take the order out
-- of the outbox once everything stored is published. An order whose record is gone is left alone.
-- KEYS[1] the order's hash, KEYS[2] the fills outbox, KEYS[3] the lease's fencing-token counter
-- ARGV[1] the clientOrderId, ARGV[2] the filled quantity now published, ARGV[3] this writer's lease token
-- Returns the published quantity now recorded; -1 when the order's record is gone; a FENCED error when the token is superseded.
local fenced = refuseIfFenced(KEYS[3], ARGV[3])
if fenced then return fenced end
if redis.call('HEXISTS', KEYS[1], 'spec') == 0 then return -1 end
local published = math.max(tonumber(redis.call('HGET', KEYS[1], 'publishedQuantity') or '0'), tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'publishedQuantity', published)
if published >= tonumber(redis.call('HGET', KEYS[1], 'filledQuantity') or '0') then redis.call('SREM', KEYS[2], ARGV[1]) end
return published
