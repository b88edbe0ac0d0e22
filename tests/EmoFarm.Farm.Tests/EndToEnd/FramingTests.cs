using EmoFarm.Api.V1;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Faces;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Tests.Services;
using Grpc.Core;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>
/// Portrait framing on a real orchestrator with the real face nets: an image without a face, or with several and no
/// choice, is refused naming the field that resolves it; a choice frames the face at the centre.
/// </summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class FramingTests(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>face-api's demo group photograph: three people (installed by scripts/install-face-api.sh).</summary>
    private static string GroupPhoto => Path.Combine(FaceApiModules, "@vladmandic", "face-api", "demo", "sample1.jpg");

    private static string FaceApiModules =>
        Environment.GetEnvironmentVariable("EMOFARM_FACE_API_MODULES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepoPaths.Root, ".cache", "face-api", "node_modules");

    [Fact]
    public async Task Create_ImageWithoutAFace_IsRefusedAndNothingIsStored()
    {
        await using var farm = await StartAsync();

        var landscape = new RgbImage(256, 192, [.. Enumerable.Range(0, 256 * 192 * 3).Select(i => (byte)((i / 3 % 256) ^ (i / 768)))]);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await farm.SubmitAsync(PngCodec.Encode(landscape), await TestMedia.SpeechAsync(2), new RenderParameters { Width = 64, Height = 64 }));

        Refusal.AssertViolation(error, "image", "has no face");
        await Refusal.AssertNothingStoredAsync(farm, Ct);
    }

    [Fact]
    public async Task Create_SeveralFacesAndNoChoice_IsRefusedNamingTheChoice()
    {
        await using var farm = await StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await farm.SubmitAsync(await File.ReadAllBytesAsync(GroupPhoto, Ct), await TestMedia.SpeechAsync(2), new RenderParameters { Width = 64, Height = 64 }));

        var violation = Refusal.AssertViolation(error, "image", "faces; choose one with parameters.framing.face_box");
        Assert.Contains("has 3 faces", violation.Description, StringComparison.Ordinal);
        await Refusal.AssertNothingStoredAsync(farm, Ct);
    }

    [Fact]
    public async Task Create_FaceBoxOutsideTheImage_NamesTheField()
    {
        await using var farm = await StartAsync();
        var parameters = new RenderParameters { Width = 64, Height = 64, Framing = new Framing { FaceBox = new PixelBox { X = 1900, Y = 10, Width = 100, Height = 100 } } };

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await farm.SubmitAsync(await File.ReadAllBytesAsync(GroupPhoto, Ct), await TestMedia.SpeechAsync(2), parameters));

        Refusal.AssertViolation(error, "parameters.framing.face_box", "lies outside the 1920x1280 image");
        await Refusal.AssertNothingStoredAsync(farm, Ct);
    }

    [Fact]
    public async Task Create_LargestFace_FramesItAtTheCentreByTheExpansionRule()
    {
        await using var farm = await StartAsync();
        var parameters = new RenderParameters { Width = 128, Height = 128, Framing = new Framing { LargestFace = true, Expand = 2 } };

        var created = await farm.SubmitAsync(await File.ReadAllBytesAsync(GroupPhoto, Ct), await TestMedia.SpeechAsync(2), parameters);
        var render = await farm.Client.GetRenderAsync(new GetRenderRequest { Id = created.Id }, cancellationToken: Ct);

        var face = render.Quality.Face;
        Assert.NotNull(face);
        // Centred, and the face's longer side is half the frame (expand 2), give or take the crop's rounding.
        Assert.InRange(face.X + (face.Width / 2), 62, 66);
        Assert.InRange(face.Y + (face.Height / 2), 62, 66);
        Assert.InRange(Math.Max(face.Width, face.Height), 62, 66);
    }

    [Fact]
    public async Task Render_WithFaceModels_ReportsEveryFaceCheck_FlagsARandomModel_AndRetakesItsSegments()
    {
        await using var farm = await StartAsync(("Quality__Retakes", "1"));
        await farm.StartWorkerAsync("worker-q", new Dictionary<string, string?>
        {
            ["Model__Config"] = "tiny",
            ["Model__RandomWeights"] = "true",
            ["Faces__ModelFolder"] = Models,
        });
        // The drawing's face box is given: framing then needs no detection, and the face is where the box says.
        var parameters = new RenderParameters
        {
            Width = 64,
            Height = 64,
            Fps = 12,
            SamplingSteps = 2,
            SegmentFrames = 10,
            OverlapFrames = 2,
            SeamStrategy = SeamStrategy.Crossfade,
            Framing = new Framing { FaceBox = new PixelBox { X = 144, Y = 177, Width = 216, Height = 212 } },
        };

        var created = await farm.SubmitAsync(TestMedia.Portrait(), await TestMedia.SpeechAsync(2), parameters);
        var finished = await farm.WaitFinishedAsync(created.Id, TimeSpan.FromMinutes(5));
        var stored = await farm.Client.GetRenderAsync(new GetRenderRequest { Id = created.Id }, cancellationToken: Ct);
        var quality = stored.Quality;

        Assert.True(finished.State == RenderState.Succeeded, $"{finished.State}: {finished.Error}");
        Assert.True(quality.Analysed);
        Assert.Equal(Enumerable.Range(0, (int)finished.Progress.SegmentsTotal).Select(i => (uint)i), quality.Segments.Select(s => s.Index));
        Assert.Equal((int)finished.Progress.SegmentsTotal - 1, quality.Seams.Count);
        // Random weights draw noise, not a face: every segment is flagged for it, by name and threshold.
        Assert.True(quality.Flagged);
        Assert.All(quality.Segments, s => Assert.True(s.FaceShare < 0.9, $"segment {s.Index}: face share {s.FaceShare}"));
        Assert.Contains(quality.Flags, f => f.StartsWith("segment 0: a face in", StringComparison.Ordinal) && f.Contains("(Quality:MinFaceShare)", StringComparison.Ordinal));

        // Flagged, so each segment was rendered once more with another seed, and the better take kept.
        var segments = Enumerable.Range(0, (int)finished.Progress.SegmentsTotal);
        Assert.Equal(segments.SelectMany(i => new[] { (i, 0), (i, 1) }), quality.Takes.Select(t => ((int)t.Index, (int)t.Take)));
        var limits = new QualityOptions();
        foreach (var kept in quality.Segments)
        {
            var takes = quality.Takes.Where(t => t.Index == kept.Index).ToList();
            var best = takes.OrderBy(t => QualityVerdict.Shortfall(ToContract(t), limits)).ThenBy(t => t.Take).First();
            Assert.Equal(best, kept);
            Assert.Equal(kept.Take, stored.Segments[(int)kept.Index].Take);
        }
        var (_, objects) = await farm.StoredAsync(Ct);
        Assert.Contains(objects, o => o.Contains("/segments/00002/take-01/frames/", StringComparison.Ordinal));
    }

    private static Contracts.SegmentQuality ToContract(EmoFarm.Api.V1.SegmentQuality q)
    {
        static double? Measured(double value) => double.IsNaN(value) ? null : value;
        return new(0, q.FaceShare, Measured(q.IdentityMean), Measured(q.IdentityMin), q.LipSync, q.LipSyncLag, Measured(q.Motion), (int)q.Take);
    }

    private static string Models => Path.Combine(FaceApiModules, "@vladmandic", "face-api", "model");

    private async Task<FarmHarness> StartAsync(params (string Key, string Value)[] settings)
    {
        Assert.True(Directory.Exists(Models), $"{Models} is missing: run scripts/install-face-api.sh");
        var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        farm.OrchestratorSettings["Faces__ModelFolder"] = Models;
        foreach (var (key, value) in settings)
            farm.OrchestratorSettings[key] = value;
        await farm.StartOrchestratorAsync();
        return farm;
    }
}
