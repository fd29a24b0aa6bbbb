-- Appends a batch of live events to the event stream, each entry recording the id of the entry
-- just before it (`prev`), so a reader can tell when entries it never got were trimmed away. With a
-- fills-relay position, stores it in the same step: a relayed fill is in the stream exactly when
-- the relay's stored position is past it (a new active node resumes from there, nothing twice).
-- Prepended with refuseIfFenced-fence.lua: a node that lost the lease appends nothing.
-- KEYS[1] the event stream, KEYS[2] the fills relay's position, KEYS[3] the lease's fencing-token counter
-- ARGV[1] this writer's lease token ('' unfenced), ARGV[2] approximate MAXLEN,
-- ARGV[3] the fills relay's new position ('' to leave it), ARGV[4] the last id this writer appended
-- ('' none: the `prev` of the first entry when the stream itself is gone, e.g. wiped),
-- ARGV[5..] type, data pairs
-- Returns the id of the last entry appended ('' when the batch had none); a FENCED error when the token is superseded.
local fenced = refuseIfFenced(KEYS[3], ARGV[1])
if fenced then return fenced end
local prev = '0-0'
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if #last > 0 then
  prev = last[1][1]
elseif ARGV[4] ~= '' then
  prev = ARGV[4]
end
local id = ''
for i = 5, #ARGV - 1, 2 do
  id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'type', ARGV[i], 'prev', prev, 'data', ARGV[i + 1])
  prev = id
end
if ARGV[3] ~= '' then redis.call('SET', KEYS[2], ARGV[3]) end
return id
