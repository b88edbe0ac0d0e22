using EmoFarm.Farm.State;

namespace EmoFarm.Farm.Tests.State;

public sealed class InMemoryRenderStoreTests : RenderStoreContract
{
    protected override IRenderStore Store { get; } = new InMemoryRenderStore();
}
