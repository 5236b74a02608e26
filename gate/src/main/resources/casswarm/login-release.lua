-- Gives a reserved login attempt back (LoginThrottle): the first key is deleted (a success from
-- this user name and address forgets its failures), the others count one attempt less. With
-- ARGV[1] = 'all', every key only counts one less (the attempt was never checked).
for i, key in ipairs(KEYS) do
  if i == 1 and ARGV[1] ~= 'all' then
    redis.call('DEL', key)
  elseif tonumber(redis.call('HGET', key, 'n') or '0') > 0 then
    redis.call('HINCRBY', key, 'n', -1)
  end
end
return 0
