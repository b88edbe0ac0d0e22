namespace EmoFarm.Farm.State;

public sealed record SegmentRecord(
    int Index,
    int FirstFrame,
    int FrameCount,
    SegmentState State,
    int FramesDone,
    int ClipsDone,
    int Attempts,
    string? Worker,
    string? Error);
