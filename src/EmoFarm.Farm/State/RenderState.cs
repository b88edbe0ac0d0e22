namespace EmoFarm.Farm.State;

public enum RenderState
{
    Queued = 1,
    Rendering = 2,
    Reconciling = 3,
    Encoding = 4,
    Succeeded = 5,
    Failed = 6,
    Cancelled = 7,
}
