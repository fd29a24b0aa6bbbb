-- Records a new order; 0 when the clientOrderId was seen before (nothing changes). One script, so a
-- crash can never leave an order recorded but missing from the open set.
-- KEYS[1] the order's hash, KEYS[2] the open set, KEYS[3] every order by receipt time, KEYS[4] the lease's fencing-token counter
-- ARGV[1] the spec (JSON), ARGV[2] received at (epoch ms), ARGV[3] the clientOrderId, ARGV[4] this writer's lease token
-- Returns 1 when recorded, 0 when the clientOrderId was seen before; a FENCED error when the token is superseded.
local fenced = refuseIfFenced(KEYS[4], ARGV[4])
if fenced then return fenced end
if redis.call('HSETNX', KEYS[1], 'spec', ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', 'received', 'receivedAt', ARGV[2], 'updatedAt', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
return 1
