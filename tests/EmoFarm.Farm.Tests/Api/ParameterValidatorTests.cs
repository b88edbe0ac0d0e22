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

    [Fact]
    public void Validate_HallosControlsUnset_TakeTheServersDefaults()
    {
        var violations = new List<FieldViolation>();
        var defaults = new RenderDefaults { PoseWeight = 0.5f, LipWeight = 2, FaceExpandRatio = 1.5, SeparateVocals = false };

        var spec = ParameterValidator.Validate(new RenderParameters(), violations, defaults);

        Assert.Empty(violations);
        Assert.Equal((0.5f, 1f, 2f, 1.5), (spec.Model.PoseWeight, spec.Model.FaceWeight, spec.Model.LipWeight, spec.Model.FaceExpandRatio));
        Assert.False(spec.SeparateVocals);
    }

    [Fact]
    public void Validate_HallosControlsGiven_OverrideTheServersDefaults()
    {
        var violations = new List<FieldViolation>();
        var defaults = new RenderDefaults { FaceExpandRatio = 1.5, SeparateVocals = false };

        var spec = ParameterValidator.Validate(new RenderParameters { FaceExpandRatio = 1, SeparateVocals = true }, violations, defaults);

        Assert.Empty(violations);
        Assert.Equal(1.0, spec.Model.FaceExpandRatio);
        Assert.True(spec.SeparateVocals);
    }

    [Fact]
    public void Validate_NothingSaid_IsHallosInference()
    {
        var violations = new List<FieldViolation>();

        var spec = ParameterValidator.Validate(new RenderParameters(), violations);

        // Exactly Hallo's 1.2 (a double): 1.2f would draw another box for some faces.
        Assert.Equal(1.2, spec.Model.FaceExpandRatio);
        Assert.True(spec.SeparateVocals);
    }

    [Theory]
    [InlineData(0.9)]
    [InlineData(3.5)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    public void Validate_FaceExpandRatioOutOfRange_NamesTheFieldAndTheLimit(double value)
    {
        var violations = new List<FieldViolation>();

        ParameterValidator.Validate(new RenderParameters { FaceExpandRatio = value }, violations);

        var v = Assert.Single(violations);
        Assert.Equal("parameters.face_expand_ratio", v.Field);
        Assert.Contains("outside 1..3", v.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(51u)]
    [InlineData(2_147_483_648u)]
    [InlineData(uint.MaxValue)]
    public void Validate_OverlapOverHalfTheSegment_NamesTheFieldEvenPastIntMax(uint overlap)
    {
        var violations = new List<FieldViolation>();

        ParameterValidator.Validate(new RenderParameters { SegmentFrames = 100, OverlapFrames = overlap }, violations);

        var violation = Assert.Single(violations);
        Assert.Equal("parameters.overlap_frames", violation.Field);
        Assert.Contains($"{overlap} exceeds half of segment_frames (50)", violation.Description, StringComparison.Ordinal);
    }
}
