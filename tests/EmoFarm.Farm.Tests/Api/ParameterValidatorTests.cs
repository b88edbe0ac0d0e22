using EmoFarm.Api.V1;
using EmoFarm.Farm.Api;
using EmoFarm.Farm.Submission;
using Xunit;

namespace EmoFarm.Farm.Tests.Api;

public sealed class ParameterValidatorTests
{
    [Fact]
    public void Validate_RegionWeightsUnset_AreHallosOnes()
    {
        var violations = new List<FieldViolation>();

        var m = ParameterValidator.Validate(new RenderParameters(), violations).Model;

        Assert.Empty(violations);
        Assert.Equal((1f, 1f, 1f), (m.PoseWeight, m.FaceWeight, m.LipWeight));
    }

    [Fact]
    public void Validate_RegionWeightZero_SwitchesThatBranchOffRatherThanMeaningDefault()
    {
        var violations = new List<FieldViolation>();

        var m = ParameterValidator.Validate(new RenderParameters { PoseWeight = 0, FaceWeight = 0.5f, LipWeight = 4 }, violations).Model;

        Assert.Empty(violations);
        Assert.Equal((0f, 0.5f, 4f), (m.PoseWeight, m.FaceWeight, m.LipWeight));
    }

    [Theory]
    [InlineData(4.5f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Validate_RegionWeightOutOfRange_NamesTheFieldAndTheLimit(float value)
    {
        var violations = new List<FieldViolation>();

        ParameterValidator.Validate(new RenderParameters { LipWeight = value }, violations);

        var v = Assert.Single(violations);
        Assert.Equal("parameters.lip_weight", v.Field);
        Assert.Contains("outside 0..4", v.Description, StringComparison.Ordinal);
    }
}
