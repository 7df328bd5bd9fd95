"""The Lua scripts that make each step of delivery atomic in Redis (all keys share one hash slot)."""

from __future__ import annotations

# Route one match: create each (subscription, channel) delivery once (SET NX on its state key),
# as a job on the stream or an entry in a digest, and acknowledge the match in the same step.
# A crash before this runs leaves the match pending (claimed again); after it, nothing is lost.
# It also keeps the incident's latest revision, which a delivery still waiting is folded into.
# KEYS: matches, jobs, digests-due, latest, then per target: its state key and its digest key
# ARGV: group, entry id, state ttl, revision, alert, then per target: mode (now|digest), field,
#       payload, due
ROUTE = """
local ttl = tonumber(ARGV[3])
local revision = tonumber(ARGV[4])
if tonumber(redis.call('HGET', KEYS[4], 'rev') or '0') < revision then
  redis.call('HSET', KEYS[4], 'rev', ARGV[4], 'alert', ARGV[5])
end
redis.call('EXPIRE', KEYS[4], ttl)
local created = 0
local targets = (#KEYS - 4) / 2
for i = 1, targets do
  local state, digest = KEYS[3 + 2 * i], KEYS[4 + 2 * i]
  local at = 5 + 4 * (i - 1)
  local mode, field, payload, due = ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4]
  local value = 'queued'
  if mode ~= 'now' then value = 'in-digest' end
  if redis.call('SET', state, value, 'NX', 'EX', ttl) then
    created = created + 1
    if mode == 'now' then
      redis.call('XADD', KEYS[2], '*', 'job', payload)
    else
      redis.call('HSET', digest, field, payload)
      redis.call('ZADD', KEYS[3], 'NX', due, digest)
    end
  end
end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return created
"""

# Coalescing: may this delivery tell a channel about its incident now, and with which revision?
# 'folded': the channel already has this revision or a later one; 'wait' (until ARGV time):
# another delivery of the incident is being sent, or an update went out less than the window
# ago; 'go': send, with the latest revision's alert when it is newer than the job's (the lease
# keeps a second delivery of the incident from going out while this one is sent).
# KEYS: told, latest   ARGV: delivery id, revision, now, window, lease, ttl
COALESCE = """
local rev, now = tonumber(ARGV[2]), tonumber(ARGV[3])
local latest = tonumber(redis.call('HGET', KEYS[2], 'rev') or '0')
local told = redis.call('HMGET', KEYS[1], 'rev', 'at', 'owner', 'until')
local sent, at = tonumber(told[1] or '0'), tonumber(told[2] or '0')
if latest < rev then latest = rev end
if sent >= latest then return {'folded', tostring(sent)} end
if told[3] and told[3] ~= ARGV[1] and tonumber(told[4] or '0') > now then
  return {'wait', told[4]}
end
if sent > 0 and now < at + tonumber(ARGV[4]) then
  return {'wait', tostring(at + tonumber(ARGV[4]))}
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'until', tostring(now + tonumber(ARGV[5])))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[6]))
if latest > rev then
  return {'go', tostring(sent), redis.call('HGET', KEYS[2], 'alert') or ''}
end
return {'go', tostring(sent), ''}
"""

# Move the held jobs whose time has come back onto the job stream.
# KEYS: scheduled, jobs   ARGV: now, limit
PROMOTE = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, job in ipairs(due) do
  redis.call('XADD', KEYS[2], '*', 'job', job)
  redis.call('ZREM', KEYS[1], job)
end
return #due
"""

# Turn one due digest into one job: its alerts are joined into the job's JSON as they are.
# KEYS: digests-due, digest, jobs, digest-seq   ARGV: now, the job's JSON up to its alerts list
FLUSH_DIGEST = """
local score = redis.call('ZSCORE', KEYS[1], KEYS[2])
if (not score) or tonumber(score) > tonumber(ARGV[1]) then return 0 end
redis.call('ZREM', KEYS[1], KEYS[2])
local items = redis.call('HVALS', KEYS[2])
redis.call('DEL', KEYS[2])
if #items == 0 then return 0 end
local seq = tostring(redis.call('INCR', KEYS[4]))
local head = string.gsub(ARGV[2], '__SEQ__', seq)
redis.call('XADD', KEYS[3], '*', 'job', head .. table.concat(items, ',') .. ']}')
return #items
"""

# Take a slot on a channel's rate limit, or say when one frees ('' means: go ahead).
# KEYS: rate   ARGV: now, window seconds, count, member
RESERVE = """
local now, window, count = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < count then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('EXPIRE', KEYS[1], math.ceil(window) + 60)
  return ''
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tostring(tonumber(oldest[2]) + window)
"""

# Put one dead letter back on the job stream, once even if two people re-drive it together.
# KEYS: dead, jobs, state   ARGV: dead entry id, job JSON, state ttl
REDRIVE = """
if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SET', KEYS[3], 'queued', 'EX', tonumber(ARGV[3]))
redis.call('XADD', KEYS[2], '*', 'job', ARGV[2])
return 1
"""
