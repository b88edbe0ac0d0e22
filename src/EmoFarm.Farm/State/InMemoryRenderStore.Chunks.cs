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
            return Task.FromResult(done.Add(chunk) ? done.Count : -1);
        }
    }

    public Task<IReadOnlySet<int>> GetDoneChunksAsync(string renderId, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlySet<int>>(_doneChunks.TryGetValue(renderId, out var done) ? new HashSet<int>(done) : new HashSet<int>());
    }
}
