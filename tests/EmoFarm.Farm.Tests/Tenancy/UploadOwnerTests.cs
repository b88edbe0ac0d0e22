using EmoFarm.Farm.Storage;
using Xunit;

namespace EmoFarm.Farm.Tests.Tenancy;

/// <summary>Which keys count as a tenant's upload: the only keys a create may name.</summary>
public sealed class UploadOwnerTests
{
    [Theory]
    [InlineData("tenants/acme/uploads/a.wav", "acme")]
    [InlineData("tenants/acme/uploads/2026/12/portrait.png", "acme")]
    [InlineData("tenants/acme/uploads/", "acme")]
    [InlineData("tenants/acme/renders/0123/input/audio", null)]
    [InlineData("tenants/acme/uploads/../../other/uploads/a.wav", null)]
    [InlineData("tenants/Acme/uploads/a.wav", null)]
    [InlineData("tenants//uploads/a.wav", null)]
    [InlineData("uploads/acme/a.wav", null)]
    [InlineData("tenants/acme/uploads", null)]
    [InlineData("/tenants/acme/uploads/a.wav", null)]
    public void UploadOwner_IsTheTenantOfItsPrefixOnly(string key, string? owner) =>
        Assert.Equal(owner, BlobKeys.UploadOwner(key));
}
