using EmoFarm.Api.V1;
using Spectre.Console;

namespace EmoFarm.Cli.Shared;

/// <summary>A live progress bar fed by render snapshots; used by both embedded renders and `watch`.</summary>
internal static class ProgressView
{
    public static async Task<Render> ShowAsync(Func<Action<Render>, Task<Render>> run)
    {
        if (Console.IsOutputRedirected)
        {
            // Logs and CI: one line per state change instead of a redrawn bar.
            var last = RenderState.Unspecified;
            return await run(r =>
            {
                if (r.State == last)
                    return;
                last = r.State;
                Console.WriteLine($"{Describe(r.State)}: {r.Progress.FramesDone}/{r.Progress.FramesTotal} frames, {r.Progress.SegmentsDone}/{r.Progress.SegmentsTotal} segments");
            });
        }
        Render? final = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("queued", maxValue: 1);
                final = await run(r =>
                {
                    task.MaxValue = Math.Max(1, r.Progress.FramesTotal);
                    task.Value = r.Progress.FramesDone;
                    task.Description = $"{Describe(r.State)} · segments {r.Progress.SegmentsDone}/{r.Progress.SegmentsTotal}";
                });
                task.Value = task.MaxValue;
            });
        return final!;
    }

    /// <summary>
    /// A line printed above the live bar, never wrapped: a URL must survive being copied from the terminal (Spectre
    /// would break a long one at the console's width with hard line ends).
    /// </summary>
    public static void Note(string line)
    {
        // Without ANSI there is no live bar to keep the line above, and Spectre would drop the raw write.
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Ansi)
            Console.WriteLine(line);
        else
            AnsiConsole.Console.WriteAnsi(line + Environment.NewLine);
    }

    public static string Describe(RenderState state) => state.ToString().ToLowerInvariant();
}
