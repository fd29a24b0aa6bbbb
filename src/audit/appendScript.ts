/**
 * Appends one record atomically: sequence number, timestamp, stream entry, per-order index and
 * execId de-duplication happen in one script, so concurrent writers can neither interleave a
 * sequence number with another's entry nor leave an entry out of its order's index.
 *
 * The timestamp is Redis' clock (one clock for every writer), clamped so it never goes back when
 * that clock does; the stream id is `<tsMs>-<n>`, so time ranges are plain XRANGEs. The XADD is
 * the first write, so a failing script leaves nothing behind (Redis does not roll scripts back).
 *
 * KEYS: stream, meta, order index, execIds.  ARGV: body (canonical JSON), execId or ''.
 * Returns { id, seq, tsMs, duplicate (0|1) }.
 */
export const APPEND_SCRIPT = `
local stream, meta, orderIndex, execIds = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local body, execId = ARGV[1], ARGV[2]

local function fieldsOf(entry)
  local fields = {}
  for i = 1, #entry[2], 2 do fields[entry[2][i]] = entry[2][i + 1] end
  return fields
end

if execId ~= '' then
  local existing = redis.call('HGET', execIds, execId)
  if existing then
    local entries = redis.call('XRANGE', stream, existing, existing)
    if #entries > 0 then
      local fields = fieldsOf(entries[1])
      return { existing, tonumber(fields.seq), tonumber(fields.tsMs), 1 }
    end
  end
end

local lastSeq = tonumber(redis.call('HGET', meta, 'seq') or '0')
local lastMs = tonumber(redis.call('HGET', meta, 'lastMs') or '0')
if lastSeq == 0 then
  -- The meta hash is gone but the stream is not: carry on from its last entry, never restart at 1.
  local last = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)
  if #last > 0 then
    local fields = fieldsOf(last[1])
    lastSeq = tonumber(fields.seq)
    lastMs = tonumber(fields.tsMs)
  end
end

local now = redis.call('TIME')
local tsMs = math.max(tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000), lastMs)
local seq = lastSeq + 1
local tsText = string.format('%.0f', tsMs)
local seqText = string.format('%.0f', seq)

local id = redis.call('XADD', stream, tsText .. '-*', 'seq', seqText, 'tsMs', tsText, 'body', body)
redis.call('HSET', meta, 'seq', seqText, 'lastMs', tsText)
redis.call('RPUSH', orderIndex, id)
if execId ~= '' then redis.call('HSET', execIds, execId, id) end
return { id, seq, tsMs, 0 }
`;

/** KEYS: stream, order index.  Returns the order's stream entries in append order. */
export const HISTORY_SCRIPT = `
local ids = redis.call('LRANGE', KEYS[2], 0, -1)
local entries = {}
for _, id in ipairs(ids) do
  local found = redis.call('XRANGE', KEYS[1], id, id)
  if #found > 0 then entries[#entries + 1] = found[1] end
end
return entries
`;
