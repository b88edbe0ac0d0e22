using System.Globalization;
using System.Security.Cryptography;
using EmoFarm.Api.V1;
using EmoFarm.Testing;
using Grpc.Core;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>
/// The "nothing lost, nothing duplicated" check: the same inputs and seed give the same frames, so a render that
/// was interrupted must decode to exactly the frames of one that was not, byte for byte and in the same number. A
/// dropped, doubled, shifted or re-seeded frame shows as a mismatch at its index.
/// </summary>
internal static class FrameOracle
{
    /// <summary>The SHA-256 of every frame of the render's MP4, decoded to RGB, in order.</summary>
    public static async Task<IReadOnlyList<string>> FramesAsync(FarmHarness farm, string renderId, CancellationToken ct)
    {
        using var folder = new TempFolder("oracle");
        var video = folder.File("render.mp4");
        await using (var file = File.Create(video))
        {
            using var call = farm.Client.DownloadResult(new GetResultRequest { Id = renderId }, cancellationToken: ct);
            await foreach (var chunk in call.ResponseStream.ReadAllAsync(ct))
                await file.WriteAsync(chunk.Data.Memory, ct);
        }
        var render = await farm.Client.GetRenderAsync(new GetRenderRequest { Id = renderId }, cancellationToken: ct);
        var (width, height) = ((int)render.Parameters.Width, (int)render.Parameters.Height);
        var raw = folder.File("frames.rgb");
        var decode = await ChildProcess.RunAsync(new ChildProcessOptions
        {
            FileName = "ffmpeg",
            Arguments = ["-v", "error", "-i", video, "-f", "rawvideo", "-pix_fmt", "rgb24", raw],
        }, TimeSpan.FromMinutes(2), ct);
        Assert.True(decode.Succeeded, decode.Output);
        var bytes = await File.ReadAllBytesAsync(raw, ct);
        var frameBytes = width * height * 3;
        Assert.Equal(0, bytes.Length % frameBytes);
        return [.. bytes.Chunk(frameBytes).Select(f => Convert.ToHexStringLower(SHA256.HashData(f)))];
    }

    public static void AssertSameFrames(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var differing = Enumerable.Range(0, Math.Min(expected.Count, actual.Count)).Where(i => expected[i] != actual[i]).ToList();
        Assert.True(expected.Count == actual.Count && differing.Count == 0, string.Create(CultureInfo.InvariantCulture,
            $"expected {expected.Count} frames, got {actual.Count}; {differing.Count} differ, first at {string.Join(", ", differing.Take(10))}"));
    }
}
