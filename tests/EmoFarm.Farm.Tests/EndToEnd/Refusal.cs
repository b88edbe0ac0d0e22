using Google.Rpc;
using Grpc.Core;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>What every refused submission must show: INVALID_ARGUMENT naming the field and the limit, and nothing stored.</summary>
internal static class Refusal
{
    public static BadRequest.Types.FieldViolation AssertViolation(RpcException error, string field, string text, StatusCode status = StatusCode.InvalidArgument)
    {
        Assert.Equal(status, error.StatusCode);
        var violations = error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
        Assert.NotNull(violations);
        var violation = Assert.Single(violations, v => v.Field == field);
        Assert.Contains(text, violation.Description, StringComparison.Ordinal);
        return violation;
    }

    public static async Task AssertNothingStoredAsync(FarmHarness farm, CancellationToken ct)
    {
        var (keys, objects) = await farm.StoredAsync(ct);
        Assert.Empty(keys);
        Assert.Empty(objects);
    }
}
