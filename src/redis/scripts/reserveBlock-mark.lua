-- Atomically: the next block of order ids starts at max(high-water mark, floor), and the mark moves
-- past the block.
-- KEYS[1] the mark
-- ARGV[1] floor, ARGV[2] block size
-- Returns the block's first id.
local mark = tonumber(redis.call('GET', KEYS[1]) or '0')
local floor = tonumber(ARGV[1])
local size = tonumber(ARGV[2])
local first = math.max(mark, floor)
redis.call('SET', KEYS[1], first + size)
return first
