-- Cuts every record older than a time off the head of the trail and, in the same script, writes
-- the checkpoint verify starts from: the seq of the first record kept and the prevHash it must
-- carry (or, if nothing is kept, the next seq and the head hash). Writes nothing if nothing is older.
-- KEYS: stream, meta.
-- ARGV: beforeMs (records with a smaller stream id time go), approvedBy, reason.
-- Returns { removed, checkpointSeq, checkpointPrevHash, nowMs }.
local stream, meta = KEYS[1], KEYS[2]
local beforeMs, approvedBy, reason = ARGV[1], ARGV[2], ARGV[3]

local old = redis.call('XRANGE', stream, '-', '(' .. beforeMs .. '-0', 'COUNT', 1)
if #old == 0 then return { 0, '', '', '' } end

local seq, prevHash
local kept = redis.call('XRANGE', stream, beforeMs .. '-0', '+', 'COUNT', 1)
if #kept > 0 then
  local fields = {}
  for i = 1, #kept[1][2], 2 do fields[kept[1][2][i]] = kept[1][2][i + 1] end
  seq, prevHash = fields.seq, fields.prevHash or string.rep('0', 64)
else
  seq = string.format('%.0f', tonumber(redis.call('HGET', meta, 'seq') or '0') + 1)
  prevHash = redis.call('HGET', meta, 'lastHash') or string.rep('0', 64)
end
local now = redis.call('TIME')
local nowMs = string.format('%.0f', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
local removed = redis.call('XTRIM', stream, 'MINID', beforeMs .. '-0')
redis.call('HSET', meta, 'checkpointSeq', seq, 'checkpointPrevHash', prevHash, 'checkpointAtMs', nowMs,
  'checkpointApprovedBy', approvedBy, 'checkpointReason', reason)
return { removed, seq, prevHash, nowMs }
