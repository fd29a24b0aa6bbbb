-- Raises the order-id high-water mark to at least ARGV[1]; never lowers it.
-- KEYS[1] the mark
-- ARGV[1] the id the mark must reach
-- Returns the mark as it now is.
local mark = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(ARGV[1]))
redis.call('SET', KEYS[1], mark)
return mark
