namespace EmoFarm.Farm.Tests.Vocals;

/// <summary>An IProgress that runs its handler on the reporting thread, before Report returns (Progress&lt;T&gt; posts it).</summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
