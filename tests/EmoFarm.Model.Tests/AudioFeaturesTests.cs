using EmoFarm.Model.Audio;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

public sealed class AudioFeaturesTests
{
    [Theory]
    [InlineData(AudioInterpolation.BeforeEncoder)]
    [InlineData(AudioInterpolation.AfterEncoder)]
    public void Extract_TwoSecondsAt25Fps_Returns50WindowedFrames(AudioInterpolation interpolation)
    {
        using var model = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        var extractor = new AudioFeatureExtractor(model, new AudioFeatureOptions { Interpolation = interpolation });

        using var features = extractor.Extract(Noise(32000, seed: 1), fps: 25);

        Assert.Equal([50L, 5L, 2L, 32L], features.shape);
    }

    [Fact]
    public void Extract_SameInputTwice_BitIdentical()
    {
        using var model = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        var extractor = new AudioFeatureExtractor(model);
        var samples = Noise(20000, seed: 2);

        using var first = extractor.Extract(samples, fps: 25);
        using var second = extractor.Extract(samples, fps: 25);

        TensorAssert.Identical(first, second);
    }

    [Fact]
    public void Extract_Window_HoldsNeighboursClampedAtEdges()
    {
        using var model = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        var extractor = new AudioFeatureExtractor(model);

        using var f = extractor.Extract(Noise(16000, seed: 3), fps: 25);

        var last = f.shape[0] - 1;
        // Window slot j of frame i is frame clamp(i + j - 2).
        TensorAssert.Identical(f[10, 3], f[11, 2]);
        TensorAssert.Identical(f[10, 0], f[8, 2]);
        TensorAssert.Identical(f[0, 0], f[0, 2]);
        TensorAssert.Identical(f[0, 1], f[0, 2]);
        TensorAssert.Identical(f[last, 4], f[last, 2]);
        using var differs = f[10, 2].ne(f[11, 2]).any();
        Assert.True(differs.item<bool>());
    }

    [Fact]
    public void Extract_FrameCountBeyondAudio_PadsWithSilence()
    {
        using var model = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        var extractor = new AudioFeatureExtractor(model);

        using var features = extractor.Extract(Noise(8000, seed: 4), fps: 30, frameCount: 40);

        Assert.Equal(40L, features.shape[0]);
        Assert.Equal(15, AudioFeatureExtractor.FrameCount(8000, 30));
    }

    [Fact]
    public void Extract_LongAudioChunked_SameShapeAndFirstChunkCloseToOnePass()
    {
        using var model = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        var samples = Noise(5 * 16000, seed: 5);
        var chunked = new AudioFeatureExtractor(model, new AudioFeatureOptions { ChunkSeconds = 2, OverlapSeconds = 0.5 });
        var whole = new AudioFeatureExtractor(model, new AudioFeatureOptions { ChunkSeconds = 60 });

        using var a = chunked.Extract(samples, fps: 25);
        using var b = whole.Extract(samples, fps: 25);

        Assert.Equal(b.shape, a.shape);
        using var finite = a.isfinite().all();
        Assert.True(finite.item<bool>());
    }

    [Fact]
    public void Extract_ChunksWhoseOverlapCoversTheClip_EqualSinglePassBitForBit()
    {
        // Every chunk then encodes the whole clip, so only the chunk bookkeeping (which frames are kept, in which
        // order) can make the result differ from one pass.
        using var model = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        var samples = Noise(3 * 16000, seed: 8);
        var chunked = new AudioFeatureExtractor(model, new AudioFeatureOptions { ChunkSeconds = 0.7, OverlapSeconds = 10 });
        var whole = new AudioFeatureExtractor(model, new AudioFeatureOptions { ChunkSeconds = 60 });

        using var a = chunked.Extract(samples, fps: 25);
        using var b = whole.Extract(samples, fps: 25);

        TensorAssert.Identical(b, a);
    }

    [Fact]
    public void Extract_RepeatedCalls_LiveTensorCountStaysFlat()
    {
        using var model = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        var extractor = new AudioFeatureExtractor(model, new AudioFeatureOptions { ChunkSeconds = 0.5, OverlapSeconds = 0.1 });
        var samples = Noise(24000, seed: 6);
        extractor.Extract(samples, fps: 25).Dispose();
        var baseline = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (var i = 0; i < 5; i++)
        {
            extractor.Extract(samples, fps: 25).Dispose();
        }

        Assert.Equal(baseline, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Extract_ProjectedByAudioProjection_GivesTokensPerFrame()
    {
        using var model = new Wav2Vec2Model(Wav2Vec2Config.Tiny);
        using var projection = new AudioProjection(AudioProjectionConfig.Tiny);
        var extractor = new AudioFeatureExtractor(model);

        using var features = extractor.Extract(Noise(16000, seed: 7), fps: 25);
        using var tokens = projection.forward(features);

        Assert.Equal([25L, 4L, 24L], tokens.shape);
    }

    private static float[] Noise(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1))];
    }
}
