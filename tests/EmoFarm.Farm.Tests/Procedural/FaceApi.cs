using EmoFarm.Farm.Tests.EndToEnd;

namespace EmoFarm.Farm.Tests.Procedural;

/// <summary>face-api's npm package, installed by scripts/install-face-api.sh: its model folder and demo photographs.</summary>
internal static class FaceApi
{
    private static string Modules =>
        Environment.GetEnvironmentVariable("EMOFARM_FACE_API_MODULES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepoPaths.Root, ".cache", "face-api", "node_modules");

    public static string Models => Path.Combine(Modules, "@vladmandic", "face-api", "model");

    public static string Demo(string name) => Path.Combine(Modules, "@vladmandic", "face-api", "demo", name);
}
