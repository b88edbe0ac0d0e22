namespace EmoFarm.Faces.Masks;

/// <summary>
/// The kernels of <c>cv2.GaussianBlur(src, (n, n), 0)</c> in OpenCV 4.6: <c>getGaussianKernelBitExact</c> in double,
/// then, for 8-bit images, <c>getGaussianKernelFixedPoint_ED</c>: 8 fraction bits with the rounding error carried
/// from one tap to the next, and the centre tap taking what makes the sum exactly 256.
/// </summary>
internal static class OpenCvGaussianKernel
{
    /// <summary>The fraction bits of OpenCV's <c>ufixedpoint16</c>.</summary>
    public const int FractionBits = 8;

    /// <summary>The kernel of odd size <paramref name="n"/> &gt; 9 for sigma 0, as <c>cv2.getGaussianKernel(n, 0, CV_64F)</c>.</summary>
    public static double[] Double(int n)
    {
        // Sizes up to 9 use fixed binomial tables in OpenCV; Hallo's blurs are 31 and 51.
        if (n <= 9 || n % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(n), n, "the Gaussian kernel size must be odd and above 9");

        // sigma = 0.3·((n − 1)/2 − 1) + 0.8, which OpenCV writes as one fused n·0.15 + 0.35.
        var sigma = Math.FusedMultiplyAdd(n, BitConverter.UInt64BitsToDouble(0x3FC3333333333333), BitConverter.UInt64BitsToDouble(0x3FD6666666666666));
        var scale2 = -0.125 / (sigma * sigma);
        var half = (n - 1) / 2;
        var values = new double[half];
        var sum = 0.0;
        for (int i = 0, x = 1 - n; i < half; i++, x += 2)
        {
            values[i] = OpenCvExp.Exp((double)(x * x) * scale2);
            sum += values[i];
        }

        sum = (sum * 2) + 1.0;
        var inverse = 1.0 / sum;
        var kernel = new double[n];
        for (var i = 0; i < half; i++)
            kernel[i] = kernel[n - 1 - i] = values[i] * inverse;
        kernel[half] = 1.0 * inverse;
        return kernel;
    }

    /// <summary>The same kernel as OpenCV's 8-bit GaussianBlur uses it: integer taps summing to 256.</summary>
    public static int[] FixedPoint(int n)
    {
        var kernel = Double(n);
        var result = new int[n];
        var multiplier = (double)(1 << FractionBits);
        var error = 0.0;
        long sum = 0;
        for (var i = 0; i < n / 2; i++)
        {
            var adjusted = (kernel[i] * multiplier) + error;
            var tap = (long)Math.Round(adjusted, MidpointRounding.ToEven);
            error = adjusted - tap;
            result[i] = result[n - 1 - i] = (int)tap;
            sum += tap;
        }

        result[n / 2] = (int)((1 << FractionBits) - (2 * sum));
        return result;
    }
}
