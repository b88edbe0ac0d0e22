using EmoFarm.Api.V1;

namespace EmoFarm.Farm.Tests.Corpus;

/// <summary>One malformed submission: both files, the parameters, and what the mutation alone says must happen.</summary>
/// <param name="Kind">The mutation, e.g. "image: truncated header"; the benchmark counts by it.</param>
/// <param name="Format">The seed's format, the extension of the file that was mutated.</param>
/// <param name="Expect">Decided from the mutation, never from a result: some mutations leave a valid file.</param>
/// <param name="Field">The field a refusal must name.</param>
/// <param name="ViaBucket">Submitted by bucket key (CreateRender) rather than streamed (CreateRenderStream).</param>
internal sealed record HostileCase(
    int Index,
    string Kind,
    string Format,
    byte[] Image,
    byte[] Audio,
    string ImageFilename,
    string AudioFilename,
    RenderParameters Parameters,
    string IdempotencyKey,
    Expectation Expect,
    string Field,
    bool ViaBucket)
{
    public override string ToString() => $"#{Index} {Kind} [{Format}, {(ViaBucket ? "bucket key" : "stream")}]";
}
