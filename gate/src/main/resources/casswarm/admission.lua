-- Admits one authenticated request in one round trip (AdmissionCheck): counts it in the user's
-- rate window and reads the user's session generation.
-- KEYS[1] the user's request counter of this window, KEYS[2] the user's session generation;
-- ARGV[1] how long the counter lives, in milliseconds (set by the window's first request).
-- Returns {requests in this window, the generation or nil when the user has none yet}.
local requests = redis.call('INCR', KEYS[1])
if requests == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {requests, redis.call('GET', KEYS[2])}
