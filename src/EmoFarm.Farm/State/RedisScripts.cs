namespace EmoFarm.Farm.State;

/// <summary>
/// Lua scripts run by Redis as one atomic step each, so racing orchestrators and workers never half-apply a change.
/// Every mutation publishes on the render's change channel for Watch streams.
/// </summary>
internal static class RedisScripts
{
    // KEYS: render, segments, idempotency (or ""), index, unfinished, sequence, tenant index, tenant active.
    // ARGV: id, doc, created ms, tenant, audio ms, max active renders (-1: none), max active audio ms (-1), segment fields...
    // The index is scored by a counter, not the clock: renders created in the same millisecond still list in order.
    // The tenant's quota is checked in the same step as the write, so concurrent creates cannot overshoot it; a
    // refusal returns "!renders" or "!audio" followed by the tenant's current usage, and writes nothing.
    public const string Create = """
        if KEYS[3] ~= '' then
          local existing = redis.call('GET', KEYS[3])
          if existing then return existing end
        end
        local active = redis.call('HVALS', KEYS[8])
        if tonumber(ARGV[6]) >= 0 and #active >= tonumber(ARGV[6]) then return '!renders:' .. #active end
        if tonumber(ARGV[7]) >= 0 then
          local ms = 0
          for _, v in ipairs(active) do ms = ms + tonumber(v) end
          if ms + tonumber(ARGV[5]) > tonumber(ARGV[7]) then return '!audio:' .. ms end
        end
        if KEYS[3] ~= '' then redis.call('SET', KEYS[3], ARGV[1]) end
        redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'state', '1', 'updated', ARGV[3], 'framesDone', 0, 'segmentsDone', 0, 'seamsDone', 0,
          'tenant', ARGV[4], 'audioMs', ARGV[5])
        for i = 8, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
        local order = redis.call('INCR', KEYS[6])
        redis.call('ZADD', KEYS[4], order, ARGV[1])
        redis.call('ZADD', KEYS[7], order, ARGV[1])
        redis.call('SADD', KEYS[5], ARGV[1])
        redis.call('HSET', KEYS[8], ARGV[1], ARGV[5])
        return ''
        """;

    // KEYS: render, unfinished, channel. ARGV: id, to, allowed-from (comma list), error, now ms, terminal (1/0), key prefix.
    // A terminal render stops counting against its tenant's quota; the tenant's key is built here from the render's
    // own field, since the caller knows only the id.
    public const string Transition = """
        local s = redis.call('HGET', KEYS[1], 'state')
        if not s then return -1 end
        for from in string.gmatch(ARGV[3], '[^,]+') do
          if s == from then
            redis.call('HSET', KEYS[1], 'state', ARGV[2], 'updated', ARGV[5])
            if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'error', ARGV[4]) end
            if ARGV[2] == '2' then redis.call('HSET', KEYS[1], 'renderingSince', ARGV[5]) end
            if ARGV[6] == '1' then
              redis.call('SREM', KEYS[2], ARGV[1])
              local tenant = redis.call('HGET', KEYS[1], 'tenant')
              if tenant then redis.call('HDEL', ARGV[7] .. 'tenant:' .. tenant .. ':active', ARGV[1]) end
            end
            redis.call('PUBLISH', KEYS[3], ARGV[2])
            return 1
          end
        end
        return 0
        """;

    // KEYS: segments, channel. ARGV: index, worker, take, max attempts. Returns 0 for a stale take, -1 when the take has
    // had its attempts (nothing changes, so the count stays the number of attempts really made), 1 otherwise. A done
    // segment is not attempted again: its command is only announced again.
    public const string BeginAttempt = """
        local i = ARGV[1]
        if tonumber(redis.call('HGET', KEYS[1], i .. ':take') or '0') ~= tonumber(ARGV[3]) then return 0 end
        local state = redis.call('HGET', KEYS[1], i .. ':state')
        if state == '2' then return 1 end
        if tonumber(redis.call('HGET', KEYS[1], i .. ':attempts') or '0') >= tonumber(ARGV[4]) then return -1 end
        redis.call('HINCRBY', KEYS[1], i .. ':attempts', 1)
        redis.call('HSET', KEYS[1], i .. ':worker', ARGV[2])
        if state == '0' then redis.call('HSET', KEYS[1], i .. ':state', '1') end
        redis.call('PUBLISH', KEYS[2], 'segment')
        return 1
        """;

    // KEYS: seams. ARGV: seam, max attempts. Returns the attempt's number, or 0 when the seam is done or has had its
    // attempts.
    public const string BeginSeamAttempt = """
        if redis.call('HGET', KEYS[1], ARGV[1]) == 'done' then return 0 end
        local field = ARGV[1] .. ':attempts'
        if tonumber(redis.call('HGET', KEYS[1], field) or '0') >= tonumber(ARGV[2]) then return 0 end
        return redis.call('HINCRBY', KEYS[1], field, 1)
        """;

    // KEYS: render, segments, seams, unfinished, channel. ARGV: id, now, failed state, queued state, key prefix. Failed -> queued: failed segments start their
    // attempts again (their stored clips are kept), unfinished seams too, and the render counts as undispatched so
    // that a crash before its segments are published again is recovered. Returns 0 unless the render had failed.
    public const string Retry = """
        if redis.call('HGET', KEYS[1], 'state') ~= ARGV[3] then return 0 end
        redis.call('HSET', KEYS[1], 'state', ARGV[4], 'updated', ARGV[2])
        redis.call('HDEL', KEYS[1], 'error', 'dispatched')
        local fields = redis.call('HGETALL', KEYS[2])
        for f = 1, #fields, 2 do
          local i = string.match(fields[f], '^(%d+):state$')
          if i and fields[f + 1] == '3' then
            redis.call('HSET', KEYS[2], i .. ':state', '0', i .. ':attempts', 0)
            redis.call('HDEL', KEYS[2], i .. ':error')
          end
        end
        local seams = redis.call('HKEYS', KEYS[3])
        for _, f in ipairs(seams) do
          if string.match(f, ':attempts$') then redis.call('HDEL', KEYS[3], f) end
        end
        redis.call('SADD', KEYS[4], ARGV[1])
        local tenant = redis.call('HGET', KEYS[1], 'tenant')
        if tenant then redis.call('HSET', ARGV[5] .. 'tenant:' .. tenant .. ':active', ARGV[1], redis.call('HGET', KEYS[1], 'audioMs') or '0') end
        redis.call('PUBLISH', KEYS[5], ARGV[4])
        return 1
        """;

    // KEYS: render, segments, channel. ARGV: index, clipsDone, framesDone, now.
    public const string RecordClip = """
        local i = ARGV[1]
        local clips = tonumber(redis.call('HGET', KEYS[2], i .. ':clips') or '0')
        if tonumber(ARGV[2]) <= clips then return 0 end
        local frames = tonumber(redis.call('HGET', KEYS[2], i .. ':frames') or '0')
        redis.call('HSET', KEYS[2], i .. ':clips', ARGV[2], i .. ':frames', ARGV[3])
        redis.call('HINCRBY', KEYS[1], 'framesDone', tonumber(ARGV[3]) - frames)
        redis.call('HSET', KEYS[1], 'updated', ARGV[4])
        redis.call('PUBLISH', KEYS[3], 'progress')
        return 1
        """;

    // KEYS: render, segments, channel. ARGV: index, from take, now.
    public const string Retake = """
        local i = ARGV[1]
        local state = redis.call('HGET', KEYS[2], i .. ':state')
        local take = tonumber(redis.call('HGET', KEYS[2], i .. ':take') or '0')
        if state == '2' or state == '3' or take ~= tonumber(ARGV[2]) then return 0 end
        local frames = tonumber(redis.call('HGET', KEYS[2], i .. ':frames') or '0')
        redis.call('HSET', KEYS[2], i .. ':take', take + 1, i .. ':state', '0', i .. ':clips', 0, i .. ':frames', 0, i .. ':attempts', 0)
        redis.call('HDEL', KEYS[2], i .. ':error')
        if frames > 0 then redis.call('HINCRBY', KEYS[1], 'framesDone', -frames) end -- Redis refuses the increment "-0"
        redis.call('HSET', KEYS[1], 'updated', ARGV[3])
        redis.call('PUBLISH', KEYS[3], 'segment')
        return 1
        """;

    // KEYS: render, segments, channel, quality. ARGV: index, now, take. The kept take's quality becomes the segment's.
    public const string CompleteSegment = """
        local i = ARGV[1]
        if redis.call('HGET', KEYS[2], i .. ':state') == '2' then return -1 end
        local count = tonumber(redis.call('HGET', KEYS[2], i .. ':count'))
        local frames = tonumber(redis.call('HGET', KEYS[2], i .. ':frames') or '0')
        redis.call('HSET', KEYS[2], i .. ':state', '2', i .. ':frames', count, i .. ':take', ARGV[3])
        local quality = redis.call('HGET', KEYS[4], 'take:' .. i .. ':' .. ARGV[3])
        if quality then redis.call('HSET', KEYS[4], 'segment:' .. i, quality) end
        redis.call('HINCRBY', KEYS[1], 'framesDone', count - frames)
        redis.call('HSET', KEYS[1], 'updated', ARGV[2])
        local done = redis.call('HINCRBY', KEYS[1], 'segmentsDone', 1)
        redis.call('PUBLISH', KEYS[3], 'segment')
        return done
        """;

    // KEYS: segments, channel. ARGV: index, error.
    public const string FailSegment = """
        local i = ARGV[1]
        if redis.call('HGET', KEYS[1], i .. ':state') == '2' then return 0 end
        redis.call('HSET', KEYS[1], i .. ':state', '3', i .. ':error', ARGV[2])
        redis.call('PUBLISH', KEYS[2], 'segment')
        return 1
        """;

    // KEYS: render, seams, channel. ARGV: seam, now.
    public const string CompleteSeam = """
        if redis.call('HGET', KEYS[2], ARGV[1]) == 'done' then return -1 end
        redis.call('HSET', KEYS[2], ARGV[1], 'done')
        redis.call('HSET', KEYS[1], 'updated', ARGV[2])
        local done = redis.call('HINCRBY', KEYS[1], 'seamsDone', 1)
        redis.call('PUBLISH', KEYS[3], 'seam')
        return done
        """;
}
