namespace EmoFarm.Farm.State;

public sealed partial class InMemoryRenderStore
{
    private readonly Dictionary<string, HashSet<int>> _doneChunks = [];

    public Task<int> CompleteChunkAsync(string renderId, int chunk, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_doneChunks.TryGetValue(renderId, out var done))
                _doneChunks[renderId] = done = [];
            if (!done.Add(chunk))
                return Task.FromResult(-1);
            Notify(renderId);
            return Task.FromResult(done.Count);
        }
    }

    public Task<IReadOnlySet<int>> GetDoneChunksAsync(string renderId, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlySet<int>>(_doneChunks.TryGetValue(renderId, out var done) ? new HashSet<int>(done) : new HashSet<int>());
    }
}
