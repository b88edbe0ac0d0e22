using StackExchange.Redis;

namespace EmoFarm.Farm.State;

public sealed partial class RedisRenderStore
{
    // KEYS: chunks, channel. ARGV: chunk. One script, so that the count returned is the one this add made. A new chunk
    // is a change Watch streams report (it may extend the preview).
    private const string CompleteChunk = """
        if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return -1 end
        redis.call('PUBLISH', KEYS[2], 'chunk')
        return redis.call('SCARD', KEYS[1])
        """;

    private RedisKey ChunksKey(string id) => $"{prefix}render:{id}:chunks";

    public async Task<int> CompleteChunkAsync(string renderId, int chunk, CancellationToken ct) =>
        (int)await _db.ScriptEvaluateAsync(CompleteChunk, [ChunksKey(renderId), Channel(renderId).ToString()], [chunk]);

    public async Task<IReadOnlySet<int>> GetDoneChunksAsync(string renderId, CancellationToken ct) =>
        (await _db.SetMembersAsync(ChunksKey(renderId))).Select(v => (int)v).ToHashSet();
}
