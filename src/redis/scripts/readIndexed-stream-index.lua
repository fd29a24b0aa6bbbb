-- Reads the stream entries an index list names, in the index's order (an order's history, or the
-- runtime's records). Ids whose entry was pruned are skipped.
-- KEYS: stream, index (a list of stream ids).
-- ARGV: none.
-- Returns the stream entries in append order.
local ids = redis.call('LRANGE', KEYS[2], 0, -1)
local entries = {}
for _, id in ipairs(ids) do
  local found = redis.call('XRANGE', KEYS[1], id, id)
  if #found > 0 then entries[#entries + 1] = found[1] end
end
return entries
