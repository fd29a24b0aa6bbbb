-- Gives the lease up (a graceful handover) only if this node still holds it, and tells the
-- standbys at once so one takes over without waiting for its next poll.
-- KEYS[1] the lease
-- ARGV[1] the value this node wrote, ARGV[2] the channel standbys listen on
-- Returns 1 when released, 0 when it was not this node's any more.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], ARGV[1])
  return 1
end
return 0
