namespace EmoFarm.Cli.Shared;

internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int InvalidInput = 2;
    public const int Cancelled = 3;
}
