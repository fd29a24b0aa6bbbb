-- Compare-and-extend: renews the lease only while it still holds exactly this node's value (its
-- node id and token), so a node that lost it can never take it back by renewing.
-- KEYS[1] the lease; ARGV[1] the value this node wrote ("<nodeId>|<token>"), ARGV[2] the TTL in ms
-- Returns 1 when renewed, 0 when the lease is gone or held by another acquisition.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
