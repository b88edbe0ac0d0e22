using System.CommandLine;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Seams;

namespace EmoFarm.Cli.Tools;

/// <summary>`emofarm seams`: how visible a render's seams are (frame difference across seams over inside segments).</summary>
internal static class SeamsCommand
{
    public static Command Create()
    {
        var video = new Option<FileInfo>("--video") { Description = "The MP4 to measure", Required = true };
        var segment = new Option<int>("--segment-frames") { Description = "Segment length it was rendered with", DefaultValueFactory = _ => 100 };
        var overlap = new Option<int>("--overlap-frames") { Description = "Overlap it was rendered with", DefaultValueFactory = _ => 6 };
        var raw = new Option<bool>("--unreconciled") { Description = "The video was stitched without seam reconciliation (one cut per seam)" };
        var command = new Command("seams", "Measure seam discontinuity in a rendered video") { video, segment, overlap, raw };
        command.SetAction(result =>
        {
            var path = result.GetValue(video)!.FullName;
            var (width, height, frames) = Probe(path);
            var segments = SegmentPlanner.Plan(frames, result.GetValue(segment), result.GetValue(overlap));
            var boundaries = new HashSet<int>();
            foreach (var seam in SegmentPlanner.Seams(segments))
            {
                if (result.GetValue(raw))
                    boundaries.Add(seam.FirstFrame);
                else
                    boundaries.UnionWith([seam.FirstFrame, seam.EndFrame]);
            }
            var report = SeamReport.Measure(VideoDecoder.Frames(path, width, height), boundaries);
            foreach (var (frame, difference) in report.Boundaries)
                Console.WriteLine($"boundary at frame {frame}: {difference:F3}");
            Console.WriteLine($"inside segments: {report.InsideMean:F3}  across seams: {report.AcrossMean:F3}  ratio: {report.Ratio:F3}");
            return 0;
        });
        return command;
    }

    private static (int Width, int Height, int Frames) Probe(string path)
    {
        var analysis = FFMpegCore.FFProbe.Analyse(path);
        var stream = analysis.PrimaryVideoStream ?? throw new MediaException("has no video stream");
        var frames = (int)Math.Round(analysis.Duration.TotalSeconds * stream.AverageFrameRate);
        return (stream.Width ?? 0, stream.Height ?? 0, frames);
    }
}
