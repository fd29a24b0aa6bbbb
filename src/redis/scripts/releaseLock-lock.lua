-- Deletes a lock (a dead-letter replay's, a report filing's claim) only if it is still ours: a
-- holder that outlived its lock's expiry must not free another's.
-- KEYS[1] the lock
-- ARGV[1] our token
-- Returns 1 when deleted, 0 when the lock is gone or another's.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
