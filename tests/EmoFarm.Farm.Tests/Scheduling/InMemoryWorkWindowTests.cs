using EmoFarm.Farm.Scheduling;

namespace EmoFarm.Farm.Tests.Scheduling;

public sealed class InMemoryWorkWindowTests : WorkWindowContract
{
    protected override IWorkWindow Window { get; } = new InMemoryWorkWindow();
}
