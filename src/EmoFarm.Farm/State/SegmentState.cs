namespace EmoFarm.Farm.State;

public enum SegmentState
{
    Pending = 0,
    Rendering = 1,
    Done = 2,
    Failed = 3,
}
