-- Frees the lock of a job BullMQ cannot decode, so that BullMQ's own removeJob can take it out of
-- `active` (the worker that locked it failed to decode it and will never release it). Only while
-- the job still holds exactly the fields judged corrupt: a job repaired or replaced in between
-- keeps its lock, and its worker.
-- KEYS[1] the job's hash, KEYS[2] its lock
-- ARGV[1..4] data, opts, progress, parent as read ('' when absent)
-- Returns 1 when the lock is gone (freed now, or there was none), 0 when the job changed.
local fields = redis.call('HMGET', KEYS[1], 'data', 'opts', 'progress', 'parent')
for i = 1, 4 do
  if (fields[i] or '') ~= ARGV[i] then return 0 end
end
redis.call('DEL', KEYS[2])
return 1
