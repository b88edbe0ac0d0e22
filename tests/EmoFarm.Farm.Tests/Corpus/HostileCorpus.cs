using EmoFarm.Api.V1;

namespace EmoFarm.Farm.Tests.Corpus;

/// <summary>
/// Malformed submissions made by mutating valid seeds, deterministic per (seed, index): case i is always the same
/// bytes, so the CI sample (the first cases) is a fixed part of the benchmark's full corpus. Kinds take turns, so every
/// prefix of a few hundred holds every kind, each on both submission paths.
/// </summary>
internal sealed class HostileCorpus(SeedMedia seeds, CorpusLimits limits, int seed)
{
    private readonly Lazy<byte[]> _bomb = new(() => ImageMutator.DecompressionBomb(limits.MaxImageSide));

    /// <summary>The mutation, as the benchmark groups it; Make draws from the case's own random stream.</summary>
    private sealed record Kind(string Name, string[] Formats, Func<Draft, Random, Draft> Make);

    /// <summary>A case before its kind is applied: the valid seeds of both files and default parameters.</summary>
    private sealed record Draft(byte[] Image, byte[] Audio, string ImageFormat, string AudioFormat, RenderParameters Parameters)
    {
        public string ImageFilename { get; init; } = "portrait." + ImageFormat;
        public string AudioFilename { get; init; } = "track." + AudioFormat;
        public string IdempotencyKey { get; init; } = "";
        public Expectation Expect { get; init; } = Expectation.Refuse;
        public string Field { get; init; } = "";
    }

    private static readonly string[] Images = SeedMedia.ImageFormats, Audios = SeedMedia.AudioFormats;

    private Kind[] Kinds => _kinds ??= BuildKinds();
    private Kind[]? _kinds;

    public int KindCount => Kinds.Length;

    public HostileCase this[int index]
    {
        get
        {
            var kind = Kinds[index % Kinds.Length];
            // Not HashCode.Combine: it is salted per process, and a case must be the same bytes on every run.
            var rng = new Random(unchecked((seed * 1_000_003) + index) & int.MaxValue);
            var imageFormat = Images[rng.Next(Images.Length)];
            var audioFormat = Audios[rng.Next(Audios.Length)];
            var target = kind.Name.StartsWith("audio", StringComparison.Ordinal) ? "audio" : "image";
            var format = kind.Formats.Length == 0 ? null : kind.Formats[rng.Next(kind.Formats.Length)];
            if (format is not null)
                (imageFormat, audioFormat) = target == "audio" ? (imageFormat, format) : (format, audioFormat);
            // Small and quick for the farm to plan: 64x64 at the default fps.
            var draft = new Draft(seeds[imageFormat], seeds[audioFormat], imageFormat, audioFormat, new RenderParameters { Width = 64, Height = 64 });
            var made = kind.Make(draft, rng);
            return new HostileCase(index, kind.Name, kind.Name.StartsWith("parameters", StringComparison.Ordinal) ? "-" : format ?? "any",
                made.Image, made.Audio, made.ImageFilename, made.AudioFilename, made.Parameters, made.IdempotencyKey, made.Expect,
                made.Field is "" ? target : made.Field, ViaBucket: index / Kinds.Length % 2 == 1);
        }
    }

    public IEnumerable<HostileCase> Take(int count) => Enumerable.Range(0, count).Select(i => this[i]);

    private Kind[] BuildKinds()
    {
        var max = limits.MaxAudioSeconds;
        var side = limits.MaxImageSide;
        var kinds = new List<Kind>
        {
            // Images.
            new("image: zero length", Images, (d, _) => d with { Image = [] }),
            new("image: truncated header", Images, (d, r) => d with { Image = d.Image[..r.Next(1, 20)] }),
            new("image: truncated", Images, (d, r) => d with { Image = Bytes.Truncate(d.Image, r, 0.3, 0.95), Expect = Expectation.Either }),
            new("image: bit flips", Images, (d, r) => d with { Image = Bytes.FlipBits(d.Image, r, r.Next(1, 9), from: 32), Expect = Expectation.Either }),
            new("image: broken magic", Images, (d, r) => d with { Image = Bytes.FlipBits(d.Image, r, 1, from: 0, to: 3) }),
            new("image: huge dimensions", Images, (d, r) => d with
            {
                Image = ImageMutator.WithSize(d.Image, d.ImageFormat, r.Next(side + 1, ImageMutator.MaxStatedSide(d.ImageFormat) + 1), r.Next(1, 97)),
            }),
            new("image: zero dimensions", Images, (d, r) => d with { Image = ImageMutator.WithSize(d.Image, d.ImageFormat, 0, r.Next(0, 97)) }),
            new("image: lying dimensions", Images, (d, r) => d with
            {
                Image = ImageMutator.WithSize(d.Image, d.ImageFormat, r.Next(1, 4097), r.Next(1, 4097)), Expect = Expectation.Either,
            }),
            new("image: decompression bomb", ["png"], (d, _) => d with { Image = _bomb.Value, ImageFilename = "bomb.png", Expect = Expectation.Either }),
            new("image: polyglot with audio", Images, (d, _) => d with { Image = Bytes.Concat(d.Image, d.Audio), Expect = Expectation.Either }),
            new("image: audio file given", [], (d, r) => d with { Image = seeds[Pick(r, Audios)] }),
            new("image: noise", [], (d, r) => d with { Image = Bytes.Noise(r, r.Next(1, 4096)) }),
            new("image: wrong extension", Images, (d, r) => d with { ImageFilename = "portrait." + Pick(r, "wav", "mp3", "txt", "exe", ""), Expect = Expectation.Accept }),
            // Audio.
            new("audio: zero length", Audios, (d, _) => d with { Audio = [] }),
            new("audio: truncated header", Audios, (d, r) => d with { Audio = d.Audio[..r.Next(1, 12)] }),
            new("audio: truncated", Audios, (d, r) => d with { Audio = Bytes.Truncate(d.Audio, r, 0.3, 0.95), Expect = Expectation.Either }),
            new("audio: bit flips", Audios, (d, r) => d with { Audio = Bytes.FlipBits(d.Audio, r, r.Next(1, 9), from: 16), Expect = Expectation.Either }),
            new("audio: extreme duration (1 Hz WAV)", ["wav"], (d, _) => d with { Audio = AudioMutator.WavAtOneHertz(d.Audio) }),
            new("audio: extreme duration (FLAC total)", ["flac"], (d, r) => d with { Audio = AudioMutator.FlacTotalSamples(d.Audio, r.NextInt64(16_000L * (long)(max + 2), 1L << 36)) }),
            new("audio: extreme duration (M4A header)", ["m4a"], (d, r) => d with { Audio = AudioMutator.M4aDuration(d.Audio, (uint)r.NextInt64(1L << 24, uint.MaxValue)), Expect = Expectation.Either }),
            // Twice the longest track in silence, its length hidden: only the decode can tell, and must stop at the limit.
            new("audio: decode bomb (FLAC, length unknown)", ["flac"], (d, _) => d with { Audio = AudioMutator.FlacTotalSamples(seeds.SilentFlac, 0), AudioFilename = "bomb.flac" }),
            new("audio: too short", ["wav"], (d, r) => d with { Audio = AudioMutator.WavCut(d.Audio, r.NextDouble() * 0.09) }),
            new("audio: lying data size", ["wav"], (d, r) => d with { Audio = AudioMutator.WavDataSize(d.Audio, Pick(r, uint.MaxValue, 0u, 0x7FFF_FFFFu)), Expect = Expectation.Either }),
            new("audio: lying channels", ["wav"], (d, r) => d with { Audio = AudioMutator.WavChannels(d.Audio, Pick(r, (ushort)0, (ushort)3, ushort.MaxValue)), Expect = Expectation.Either }),
            new("audio: polyglot with image", Audios, (d, _) => d with { Audio = Bytes.Concat(d.Audio, d.Image), Expect = Expectation.Either }),
            new("audio: image file given", [], (d, r) => d with { Audio = seeds[Pick(r, Images)] }),
            new("audio: noise", [], (d, r) => d with { Audio = Bytes.Noise(r, r.Next(1, 4096)), Expect = Expectation.Either }),
            new("audio: text", [], (d, r) => d with { Audio = System.Text.Encoding.UTF8.GetBytes(new string('a', r.Next(1, 2000)) + "\n") }),
            new("audio: wrong extension", Audios, (d, r) => d with { AudioFilename = "track." + Pick(r, "png", "jpg", "txt", "wav", ""), Expect = Expectation.Accept }),
            // Parameters, and the request around them.
            new("parameters: idempotency key too long", [], (d, r) => d with { IdempotencyKey = new string('k', r.Next(201, 20_000)), Field = "idempotency_key" }),
        };
        foreach (var target in ParameterFuzz.Targets)
        {
            kinds.Add(new("parameters: " + target.Name, [], (d, r) =>
            {
                var parameters = d.Parameters.Clone();
                return d with { Parameters = parameters, Field = target.Break(r, parameters) };
            }));
        }

        return [.. kinds];
    }

    private static T Pick<T>(Random r, params T[] options) => options[r.Next(options.Length)];
}
