using Xunit;

namespace EmoFarm.Farm.Tests.State;

public abstract partial class RenderStoreContract
{
    [Fact]
    public async Task Chunks_CompleteOnceEach_AndAreCountedOnce()
    {
        var render = await CreateAsync();
        Assert.Empty(await Store.GetDoneChunksAsync(render.Id, Ct));

        Assert.Equal(1, await Store.CompleteChunkAsync(render.Id, 2, Ct));
        Assert.Equal(-1, await Store.CompleteChunkAsync(render.Id, 2, Ct));
        var counts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Store.CompleteChunkAsync(render.Id, 0, Ct)));
        Assert.Equal([-1, 2], counts.Distinct().Order());
        Assert.Single(counts, 2);

        Assert.Equal(new HashSet<int> { 0, 2 }, await Store.GetDoneChunksAsync(render.Id, Ct));
        // Another render's chunks are its own.
        var other = await CreateAsync();
        Assert.Empty(await Store.GetDoneChunksAsync(other.Id, Ct));
        Assert.Equal(1, await Store.CompleteChunkAsync(other.Id, 2, Ct));
    }

    [Fact]
    public async Task Chunks_ANewChunk_IsAChangeWatchersSee()
    {
        var render = await CreateAsync();
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (await Store.SubscribeAsync(render.Id, () => changed.TrySetResult(), Ct))
        {
            Assert.Equal(1, await Store.CompleteChunkAsync(render.Id, 0, Ct));
            await changed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        }
    }
}
