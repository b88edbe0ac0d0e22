using EmoFarm.Contracts;
using EmoFarm.Farm.Faces;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Orchestration;

/// <summary>
/// Decides, when a take of a segment is stored and measured, whether to keep the segment or render it again with
/// another seed (<see cref="QualityOptions.Retakes"/>). The decision comes before the segment is done, so no seam
/// has been reconciled against a take that is later replaced.
/// </summary>
public sealed partial class SegmentTakes(IRenderStore store, SegmentDispatcher dispatcher, IOptions<QualityOptions> options, ILogger<SegmentTakes> logger)
{
    /// <returns>The take to keep, or null when another take was requested.</returns>
    public async Task<int?> ChooseAsync(SegmentRendered m, CancellationToken ct)
    {
        var limits = options.Value;
        if (m.Quality is not { } quality)
            return m.Take;
        var shortfall = QualityVerdict.Shortfall(quality, limits);
        if (shortfall > 0 && m.Take < limits.Retakes)
        {
            var render = await store.GetAsync(m.RenderId, ct);
            if (render is null || RenderStateMachine.IsTerminal(render.State))
                return null;
            var segment = await store.RetakeSegmentAsync(m.RenderId, m.SegmentIndex, m.Take, ct);
            // Pending on the next take: this call moved it, or a redelivery of this message finds the command
            // possibly unpublished. A take already rendering has its command.
            if (segment.Take == m.Take + 1 && segment.State == SegmentState.Pending)
            {
                LogRetake(logger, m.RenderId, m.SegmentIndex, m.Take, shortfall, segment.Take, limits.Retakes);
                FarmTelemetry.SegmentRetakes.Add(1);
                await dispatcher.RetakeAsync(render, segment, ct);
            }
            return null;
        }
        if (m.Take == 0)
            return 0; // the only take: nothing to compare, and no read of the render's measurements
        var takes = (await store.GetQualityAsync(m.RenderId, ct)).Takes
            .Where(t => t.SegmentIndex == m.SegmentIndex && t.Take <= m.Take).ToList();
        // The least shortfall wins; on a tie the earliest take, whose seed is the render's own.
        return takes.Count == 0 ? m.Take : takes.OrderBy(t => QualityVerdict.Shortfall(t, limits)).ThenBy(t => t.Take).First().Take;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "render {RenderId} segment {Segment}: take {Take} falls short of the quality checks by {Shortfall:F2}; rendering take {Next} of up to {Retakes} retakes")]
    private static partial void LogRetake(ILogger logger, string renderId, int segment, int take, double shortfall, int next, int retakes);
}
