namespace EmoFarm.Farm.Planning;

/// <summary>Independent, reproducible seeds for each part of a render, derived from its one seed.</summary>
public static class Seeds
{
    /// <summary>The seed of one take of a segment. The first take keeps the plain per-segment seed.</summary>
    public static ulong ForSegment(ulong renderSeed, int segment, int take) =>
        take == 0 ? Derive(renderSeed, segment) : Derive(Derive(renderSeed, segment), take);

    /// <summary>SplitMix64 of the render seed and a stream index: nearby inputs give unrelated outputs.</summary>
    public static ulong Derive(ulong seed, int stream)
    {
        var z = seed + 0x9E3779B97F4A7C15UL * (ulong)(stream + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
