using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EmoFarm.Cli.Shared;
using EmoFarm.Farm.Api;
using EmoFarm.Farm.Faces;
using EmoFarm.Farm.Hosting;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Submission;
using EmoFarm.Farm.Tenancy;
using EmoFarm.Model.Hosting;
using EmoFarm.Model.Loading;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace EmoFarm.Cli.Embedded;

/// <summary>
/// `emofarm render`: the whole farm in one process (orchestrator and worker on the in-memory bus, state in memory,
/// objects in a folder), with no services to install. The code path is the farm's own; only the transports differ.
/// </summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var image = new Option<FileInfo>("--image") { Description = "Portrait (PNG, JPEG or WebP)", Required = true };
        var audio = new Option<FileInfo>("--audio") { Description = "Vocal track (WAV, MP3, FLAC, OGG, M4A, …)", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the MP4", Required = true };
        var model = new ModelCliOptions();
        var faces = new Option<DirectoryInfo?>("--face-models") { Description = "face-api's model folder (scripts/install-face-api.sh prints it): frames the portrait on its face and quality-checks the render" };
        var mesh = new Option<DirectoryInfo?>("--face-mesh") { Description = "human-models' models/ folder (scripts/install-face-api.sh installs it): Hallo's face and lip masks from the face mesh" };
        var release = new Option<DirectoryInfo?>("--hallo-release") { Description = "Hallo's pretrained_models/ folder for the identity embedding and vocal separation (default: --weights when it is one)" };
        var retakes = new Option<int>("--retakes") { Description = $"Render a segment the quality checks flag again with another seed, up to N times (0..{QualityOptions.MaxRetakes}), and keep the best take; needs --face-models" };
        var work = new Option<DirectoryInfo?>("--work-dir") { Description = "Folder for intermediate frames (default: a temporary folder, removed afterwards)" };
        var parameters = new ParameterOptions();
        var command = new Command("render", "Render a portrait video on this machine, in one process") { image, audio, output, work, faces, mesh, release, retakes };
        model.AddTo(command);
        parameters.AddTo(command);
        command.SetAction((result, ct) => RunAsync(result.GetValue(image)!, result.GetValue(audio)!, result.GetValue(output)!,
            result.GetValue(work), result.GetValue(faces), result.GetValue(retakes), model.Read(result), parameters.Read(result), Conditioning(result), ct));

        IReadOnlyDictionary<string, string?> Conditioning(ParseResult result)
        {
            var weights = model.Read(result).GetValueOrDefault("Model:Weights");
            var hallo = result.GetValue(release)?.FullName
                ?? (weights is { Length: > 0 } w && Directory.Exists(w) && HalloRelease.IsRelease(w) ? w : null);
            return new Dictionary<string, string?>
            {
                ["Conditioning:Release"] = hallo,
                ["Conditioning:FaceMeshFolder"] = result.GetValue(mesh)?.FullName,
            };
        }
        return command;
    }

    private static void PrintQuality(RenderQuality quality, QualityOptions limits)
    {
        if (quality.Segments.Count == 0)
        {
            AnsiConsole.MarkupLine("[yellow]quality:[/] not checked (give --face-models to check faces, identity, lip-sync and seams)");
            return;
        }
        var flags = QualityVerdict.Flags(quality, limits);
        var retaken = quality.Takes.GroupBy(t => t.SegmentIndex).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        if (retaken.Count > 0)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"retakes: {retaken.Count} segments rendered again; kept {string.Join(", ", quality.Segments.Where(s => retaken.Contains(s.SegmentIndex)).Select(s => $"take {s.Take} of segment {s.SegmentIndex}"))}");
        }

        var faces = quality.Segments.Average(s => s.FaceShare);
        var sync = quality.Segments.Average(s => s.LipSync);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"quality: a face in {faces * 100:F0} % of frames, lip-sync {sync:F2}, {quality.Seams.Count} seams; {(flags.Count == 0 ? "no flags" : $"{flags.Count} flags")}");
        foreach (var flag in flags.Take(10))
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  [yellow]flag[/] {flag}");
        if (flags.Count > 10)
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  … and {flags.Count - 10} more");
    }

    private static async Task<int> RunAsync(FileInfo image, FileInfo audio, FileInfo output, DirectoryInfo? workDir, DirectoryInfo? faceModels, int retakes,
        IReadOnlyDictionary<string, string?> modelSettings, Api.V1.RenderParameters parameters, IReadOnlyDictionary<string, string?> conditioning, CancellationToken ct)
    {
        if (retakes is < 0 or > QualityOptions.MaxRetakes)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]--retakes[/]: {retakes} is outside 0..{QualityOptions.MaxRetakes}");
            return ExitCodes.InvalidInput;
        }
        if (retakes > 0 && faceModels is null)
            AnsiConsole.MarkupLine("[yellow]--retakes[/]: without --face-models nothing is measured, so no segment is rendered again");
        var temporary = workDir is null;
        var work = workDir ?? Directory.CreateTempSubdirectory("emofarm-render-");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None); // start-up failures are reported below, without the stack
        builder.Configuration.AddInMemoryCollection(modelSettings);
        builder.Configuration.AddInMemoryCollection(conditioning);
        builder.Configuration.AddInMemoryCollection([new("Storage:Root", Path.Combine(work.FullName, "objects"))]);
        if (faceModels is not null)
            builder.Configuration.AddInMemoryCollection([new("Faces:ModelFolder", faceModels.FullName)]);
        builder.Configuration.AddInMemoryCollection([new("Quality:Retakes", retakes.ToString(CultureInfo.InvariantCulture))]);
        builder.Services.AddFarm(builder.Configuration, farm => farm.AddOrchestrator().AddWorker());
        builder.Services.AddEmoRenderer(builder.Configuration);
        using var host = builder.Build();
        try
        {
            try
            {
                await host.StartAsync(ct);
            }
            catch (Exception e) when (e is ModelNotConfiguredException or Model.Checkpoints.CheckpointMismatchException or FileNotFoundException)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]model:[/] {e.Message}");
                return ExitCodes.InvalidInput;
            }
            // Said, so that nobody takes this for how a farm is secured: a farm's API always asks who is calling.
            AnsiConsole.MarkupLine("[grey]embedded: one process and no network API, so no authentication; the render belongs to tenant 'local'[/]");
            var clock = Stopwatch.StartNew();
            var violations = new List<FieldViolation>();
            var spec = ParameterValidator.Validate(parameters, violations, host.Services.GetRequiredService<IOptions<RenderDefaults>>().Value);
            var framing = ParameterValidator.ValidateFraming(parameters.Framing, violations);
            var store = host.Services.GetRequiredService<IRenderStore>();
            RenderRecord render;
            try
            {
                (render, _) = await host.Services.GetRequiredService<RenderSubmitter>()
                    .SubmitAsync(new RenderInput(Caller.Local.Tenant, spec, null, image.FullName, audio.FullName, null, framing), violations, ct);
            }
            catch (InputValidationException e)
            {
                foreach (var v in e.Violations)
                    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{v.Field}[/]: {v.Description}");
                return ExitCodes.InvalidInput;
            }

            using var cancel = ct.Register(() => _ = store.TransitionAsync(render.Id, RenderState.Cancelled, "cancelled from the command line", CancellationToken.None));
            var final = await ProgressView.ShowAsync(report => Follow(store, render.Id, report, ct));
            if (final.State != Api.V1.RenderState.Succeeded)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]render {ProgressView.Describe(final.State)}[/]: {final.Error}");
                return final.State == Api.V1.RenderState.Cancelled ? ExitCodes.Cancelled : ExitCodes.Failed;
            }
            var stored = (await store.GetAsync(render.Id, ct))!.Output!;
            output.Directory?.Create();
            await host.Services.GetRequiredService<IBlobStore>().DownloadToFileAsync(stored.Key, output.FullName, ct);
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[green]wrote[/] {output.FullName}: {stored.FrameCount} frames, {stored.DurationSeconds:F2} s, {stored.SizeBytes / 1024.0:F0} KiB in {clock.Elapsed.TotalSeconds:F1} s");
            if ((await store.GetAsync(render.Id, ct))?.Conditioning is { } c)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"identity: {c.Identity}");
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"masks: {c.Landmarks}");
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"lips driven by: {c.Audio}");
            }
            PrintQuality(await store.GetQualityAsync(render.Id, ct), host.Services.GetRequiredService<IOptions<QualityOptions>>().Value);
            return ExitCodes.Ok;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            if (temporary)
                work.Delete(recursive: true);
        }
    }

    private static async Task<Api.V1.Render> Follow(IRenderStore store, string id, Action<Api.V1.Render> report, CancellationToken ct)
    {
        var changed = new SemaphoreSlim(0);
        await using var subscription = await store.SubscribeAsync(id, () => changed.Release(), ct);
        while (true)
        {
            var render = (await store.GetAsync(id, ct))!;
            var proto = RenderMapper.ToProto(render);
            report(proto);
            if (RenderStateMachine.IsTerminal(render.State))
                return proto;
            await changed.WaitAsync(ct);
        }
    }
}
