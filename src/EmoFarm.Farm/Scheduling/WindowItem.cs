namespace EmoFarm.Farm.Scheduling;

/// <summary>
/// One command the scheduler holds back or has out: a segment's take (<c>s:INDEX:TAKE</c>, payload
/// <c>FIRST:COUNT</c>) or a seam's continuation (<c>m:INDEX</c>, payload the command's JSON). The payload is all a
/// replica needs to publish it, so any replica can publish what another enqueued.
/// </summary>
/// <param name="Order">Within the render, lower goes first.</param>
public sealed record WindowItem(string RenderId, string Key, string Payload, double Order = 0)
{
    public static string SegmentKey(int index, int take) => $"s:{index}:{take}";

    public static string SeamKey(int index) => $"m:{index}";
}
