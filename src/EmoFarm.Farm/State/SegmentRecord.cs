namespace EmoFarm.Farm.State;

/// <param name="Take">The take being rendered; once done, the take whose frames the video uses.</param>
public sealed record SegmentRecord(
    int Index,
    int FirstFrame,
    int FrameCount,
    SegmentState State,
    int FramesDone,
    int ClipsDone,
    int Attempts,
    string? Worker,
    string? Error,
    int Take = 0);
