namespace EmoFarm.Testing;

/// <summary>Keeps the last lines a process wrote, so a failure message can show them without unbounded memory.</summary>
internal sealed class OutputRing(int capacity)
{
    private readonly Queue<string> lines = new(capacity);
    private readonly Lock gate = new();

    public void Add(string line)
    {
        lock (gate)
        {
            if (lines.Count == capacity)
            {
                lines.Dequeue();
            }

            lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (gate)
        {
            return [.. lines];
        }
    }
}
