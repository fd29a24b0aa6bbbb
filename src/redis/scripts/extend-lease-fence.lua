-- Compare-and-extend: renews the lease only while it still holds exactly this node's value (its
-- node id and token), so a node that lost it can never take it back by renewing.
-- One exception: the lease is gone while no newer token was ever issued (Redis lost its data, or
-- was restarted empty). Nobody else can have held it since, so the holder sets it again, and the
-- counter with it; the continuity guard reports the loss itself.
-- KEYS[1] the lease, KEYS[2] the fencing-token counter
-- ARGV[1] the value this node wrote ("<nodeId>|<token>"), ARGV[2] the TTL in ms, ARGV[3] its token
-- Returns 1 when renewed, 2 when set again after a loss, 0 when held by another acquisition or superseded.
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if current == false and tonumber(redis.call('GET', KEYS[2]) or '0') <= tonumber(ARGV[3]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  redis.call('SET', KEYS[2], ARGV[3])
  return 2
end
return 0
