-- Reserves one login attempt, atomically, before the password is checked (LoginThrottle).
-- KEYS: one hash per counter, fields n (attempts reserved and not given back) and t (time of
-- the last one, ms). ARGV: first delay ms, forget-after ms, then per key: free attempts, cap ms.
-- A counter past its free attempts makes the next attempt wait first * 2^(n - free), capped,
-- counted from its last attempt. Returns 0 (reserved, every counter counted) or the ms to wait
-- (nothing counted). Redis's clock, so every gate agrees.
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local first = tonumber(ARGV[1])
local forget = tonumber(ARGV[2])
local wait = 0
for i, key in ipairs(KEYS) do
  local free = tonumber(ARGV[1 + 2 * i])
  local cap = tonumber(ARGV[2 + 2 * i])
  local n = tonumber(redis.call('HGET', key, 'n') or '0')
  if n >= free then
    local t = tonumber(redis.call('HGET', key, 't') or '0')
    local delay = math.min(first * 2 ^ math.min(n - free, 40), cap)
    local left = t + delay - now
    if left > wait then
      wait = left
    end
  end
end
if wait > 0 then
  return math.ceil(wait)
end
for i, key in ipairs(KEYS) do
  local cap = tonumber(ARGV[2 + 2 * i])
  redis.call('HINCRBY', key, 'n', 1)
  redis.call('HSET', key, 't', now)
  redis.call('PEXPIRE', key, cap + forget)
end
return 0
