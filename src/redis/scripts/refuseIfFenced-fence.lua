-- Prepended to every order script (the `prelude` of luaScript, src/redis/luaScript.ts): defines
-- refuseIfFenced(fenceKey, token), which refuses a write whose lease token is older than the newest
-- one issued, so a node that lost the lease (paused, partitioned) writes nothing.
-- An empty token means the store runs without a lease (tools, tests) and is not checked.
-- KEYS: none of its own (the script it is put before passes its fencing-token counter key).
-- ARGV: none of its own (the script it is put before passes its lease token).
-- Returns (the function) nil when the write may go on, else a FENCED error reply to return as is.
local function refuseIfFenced(fenceKey, token)
  if token == '' then return nil end
  local newest = tonumber(redis.call('GET', fenceKey) or '0')
  if newest > tonumber(token) then
    return redis.error_reply('FENCED token ' .. token .. ' superseded by ' .. string.format('%d', newest))
  end
  return nil
end
