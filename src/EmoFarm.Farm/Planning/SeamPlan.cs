namespace EmoFarm.Farm.Planning;

/// <summary>The frames that segment <see cref="Index"/> and segment Index + 1 both render.</summary>
public sealed record SeamPlan(int Index, int FirstFrame, int FrameCount)
{
    public int LeftSegment => Index;
    public int RightSegment => Index + 1;
    public int EndFrame => FirstFrame + FrameCount;
}
