-- Appends one entry of the fills stream at most once per execution and kind: the execution's
-- marker hash says which kinds (`fill`, `commission`) are already in the stream, checked and set in
-- the same script as the XADD, so a fill replayed after a crash or a redelivery is never appended
-- twice. A fill that carries its commission marks the commission too (no separate entry follows);
-- if a commission entry came first, the fill leaves it out, so a commission is in the stream once.
-- The marker expires after the dedupe window (the stream keeps entries for its MAXLEN only anyway).
-- Prepended with refuseIfFenced-fence.lua: a node that lost the lease appends nothing.
-- KEYS[1] the fills stream, KEYS[2] the execution's marker hash, KEYS[3] the lease's fencing-token counter
-- ARGV[1] the kind ('fill' or 'commission'), ARGV[2] this writer's lease token ('' unfenced),
-- ARGV[3] approximate MAXLEN, ARGV[4] marker TTL in ms, ARGV[5] a fill's commission when known, else '',
-- ARGV[6..] the entry's field/value pairs
-- Returns { 1, id } when appended, { 0, id } when already in the stream (id of the entry that holds it);
-- a FENCED error when the token is superseded.
local fenced = refuseIfFenced(KEYS[3], ARGV[2])
if fenced then return fenced end
local kind = ARGV[1]
local existing = redis.call('HGET', KEYS[2], kind)
if existing then return { 0, existing } end
local fields = {}
for i = 6, #ARGV do fields[#fields + 1] = ARGV[i] end
local carries = kind == 'fill' and ARGV[5] ~= '' and redis.call('HEXISTS', KEYS[2], 'commission') == 0
if carries then
  fields[#fields + 1] = 'commission'
  fields[#fields + 1] = ARGV[5]
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', unpack(fields))
redis.call('HSET', KEYS[2], kind, id)
if carries then redis.call('HSET', KEYS[2], 'commission', id) end
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return { 1, id }
