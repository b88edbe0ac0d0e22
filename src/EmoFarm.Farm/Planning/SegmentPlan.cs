namespace EmoFarm.Farm.Planning;

/// <summary>Frames [FirstFrame, FirstFrame + FrameCount) of a render, rendered by one worker.</summary>
public sealed record SegmentPlan(int Index, int FirstFrame, int FrameCount)
{
    public int EndFrame => FirstFrame + FrameCount;
}
