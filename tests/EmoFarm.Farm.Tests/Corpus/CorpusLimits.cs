namespace EmoFarm.Farm.Tests.Corpus;

/// <summary>The orchestrator's limits the corpus is built against (its Orchestrator:* settings).</summary>
internal sealed record CorpusLimits(double MaxAudioSeconds, int MaxImageSide)
{
    /// <summary>The settings that make an orchestrator judge by these limits.</summary>
    public Dictionary<string, string> Settings() => new()
    {
        ["Orchestrator__MaxAudioSeconds"] = MaxAudioSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orchestrator__MaxImageSide"] = MaxImageSide.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
