-- Appends a batch of hash-chained records atomically, as one compare-and-append (group commit:
-- see ChainAppender). The writer hashes the batch in Node against the chain head it believes
-- current (seq, hash): record i+1's prevHash is record i's hash. The script writes only if that is
-- still the head and no record in the batch is a fill already recorded. Otherwise it writes nothing
-- and answers with the actual head and the duplicates, and the writer drops those, re-hashes the
-- rest and tries again. So concurrent writers can never fork the chain, and a duplicate never takes
-- a seq. (SHA-256 in Redis' Lua measured 1.6 ms per 1 KB record and 84 ms per 64 KB, blocking Redis
-- meanwhile; hashing in Node costs microseconds.)
--
-- The timestamp is Redis' clock, one for the whole batch (committed together, so stamped together;
-- records of one batch share a tsMs, which keeps time non-decreasing): the writer proposes one it
-- got from Redis (it is part of every hash), and the script accepts it only if it is no later than
-- its own clock, at most `maxStampAgeMs` behind it, and not before the previous record's.
--
-- Nothing is written until every check has passed, because Redis does not roll a script back: the
-- order index keys are checked for type up front (a wrong-type key would otherwise fail an RPUSH
-- after the XADDs), and the first XADD is the first write (an id below the stream's last fails
-- there). A script without flags may not start writing when Redis is out of memory, but once it has
-- written it may finish, so OOM cannot cut a batch in half either.
--
-- KEYS: stream, meta, execIds, then one order index per record (repeats allowed).
-- ARGV: expected head seq, expected head hash, tsMs, maxStampAgeMs, then per record: body
--       (canonical JSON), execId or '', hash.
-- Returns one of
--   { 'appended', id1, id2, ... }     (seq i = head seq + i; all at tsMs)
--   { 'retry', headSeq, headHash, suggestedTsMs, [index, id, seq, tsMs, prevHash, hash]... }
--     nothing written; each sextet is a record of the batch (1-based index) whose execId is already
--     recorded, with that record's fields (prevHash and hash '' for a pre-chain record).
local stream, meta, execIds = KEYS[1], KEYS[2], KEYS[3]
local expectedSeq, expectedHash = ARGV[1], ARGV[2]
local tsMs, maxStampAgeMs = tonumber(ARGV[3]), tonumber(ARGV[4])
local count = (#ARGV - 4) / 3
local GENESIS = string.rep('0', 64)
local HASH = '^' .. string.rep('%x', 64) .. '$'

local function fieldsOf(entry)
  local fields = {}
  for i = 1, #entry[2], 2 do fields[entry[2][i]] = entry[2][i + 1] end
  return fields
end
local function body(i) return ARGV[2 + 3 * i] end
local function execIdOf(i) return ARGV[3 + 3 * i] end
local function hashOf(i) return ARGV[4 + 3 * i] end

-- Fills already recorded. The writer removes repeats within a batch before it hashes; one that got
-- through would be recorded twice, so it is refused outright.
local duplicates, seen = {}, {}
for i = 1, count do
  local execId = execIdOf(i)
  if execId ~= '' then
    if seen[execId] then return redis.error_reply('ERR audit batch repeats execId ' .. execId .. '; nothing was written') end
    seen[execId] = true
    local existing = redis.call('HGET', execIds, execId)
    if existing then
      local entries = redis.call('XRANGE', stream, existing, existing)
      if #entries > 0 then
        local f = fieldsOf(entries[1])
        for _, v in ipairs({ tostring(i), existing, f.seq, f.tsMs, f.prevHash or '', f.hash or '' }) do duplicates[#duplicates + 1] = v end
      end
    end
  end
end

local lastSeq = tonumber(redis.call('HGET', meta, 'seq') or '0')
local lastMs = tonumber(redis.call('HGET', meta, 'lastMs') or '0')
local lastHash = redis.call('HGET', meta, 'lastHash')
if lastSeq == 0 then
  -- The meta hash is gone but the stream is not: carry on from its last entry, never restart at 1.
  local last = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)
  if #last > 0 then
    local fields = fieldsOf(last[1])
    lastSeq = tonumber(fields.seq)
    lastMs = tonumber(fields.tsMs)
    lastHash = fields.hash
  end
end
-- Records written before the chain existed carry no hash: the chain starts afresh after them.
if not lastHash then lastHash = GENESIS end

local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local latest = math.max(nowMs, lastMs)
local headSeq = string.format('%.0f', lastSeq)
local ok = #duplicates == 0 and expectedSeq == headSeq and expectedHash == lastHash and tsMs ~= nil
  and tsMs <= latest and tsMs >= lastMs and tsMs >= nowMs - maxStampAgeMs
for i = 1, count do
  if not ok then break end
  ok = string.match(hashOf(i), HASH) ~= nil
end
if not ok then
  local reply = { 'retry', headSeq, lastHash, string.format('%.0f', latest) }
  for _, v in ipairs(duplicates) do reply[#reply + 1] = v end
  return reply
end

for i = 1, count do
  local kind = redis.call('TYPE', KEYS[3 + i]).ok
  if kind ~= 'list' and kind ~= 'none' then
    return redis.error_reply('WRONGTYPE audit order index ' .. KEYS[3 + i] .. ' holds a ' .. kind .. '; nothing was written')
  end
end

local tsText = string.format('%.0f', tsMs)
local reply, prevHash = { 'appended' }, lastHash
for i = 1, count do
  local seqText = string.format('%.0f', lastSeq + i)
  reply[i + 1] = redis.call('XADD', stream, tsText .. '-*', 'seq', seqText, 'tsMs', tsText, 'prevHash', prevHash, 'hash', hashOf(i), 'body', body(i))
  prevHash = hashOf(i)
end
for i = 1, count do
  redis.call('RPUSH', KEYS[3 + i], reply[i + 1])
  if execIdOf(i) ~= '' then redis.call('HSET', execIds, execIdOf(i), reply[i + 1]) end
end
redis.call('HSET', meta, 'seq', string.format('%.0f', lastSeq + count), 'lastMs', tsText, 'lastHash', prevHash)
return reply
