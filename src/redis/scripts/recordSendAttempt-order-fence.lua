-- Records a send attempt for one order before its placeOrder leaves, atomically, so that at most
-- one broker order per clientOrderId is ever live: a new attempt is allowed only when there was
-- none, or when the caller looked the last one up at the broker and found it absent.
-- KEYS[1] the order's hash, KEYS[2] the lease's fencing-token counter
-- ARGV[1] the broker order id of this attempt
-- ARGV[2] the attempt number the caller found absent at the broker (0: none)
-- ARGV[3] now, epoch ms
-- ARGV[4] this writer's lease token (a node that lost the lease may not send)
-- Returns the new attempt number (> 0); -n when attempt n may still be live; 0 when the order is
-- not in the store (its record was lost: nothing may be sent until it is written again); a FENCED error when the token is superseded.
local fenced = refuseIfFenced(KEYS[2], ARGV[4])
if fenced then return fenced end
if redis.call('HEXISTS', KEYS[1], 'spec') == 0 then return 0 end
local current = tonumber(redis.call('HGET', KEYS[1], 'sendAttempt') or '0')
if current > 0 and tonumber(ARGV[2]) ~= current then return -current end
local attempt = current + 1
redis.call('HSET', KEYS[1], 'sendAttempt', attempt, 'sendIbOrderId', ARGV[1], 'sendAt', ARGV[3])
return attempt
