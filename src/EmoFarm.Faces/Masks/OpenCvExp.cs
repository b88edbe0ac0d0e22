namespace EmoFarm.Faces.Masks;

/// <summary>
/// OpenCV's software exp for doubles (softfloat's <c>f64_exp</c>, OpenCV 4.6), which <c>getGaussianKernel</c> uses.
/// It is not correctly rounded, so <see cref="Math.Exp"/> differs from it in the last bit now and then; the
/// Gaussian kernels have to come out bit for bit as OpenCV's do. Every softfloat operation is one IEEE double
/// operation, so plain doubles reproduce it exactly (.NET does not fuse a·b + c on its own).
/// </summary>
internal static class OpenCvExp
{
    private const int TableBits = 6;

    // 2^(i/64), correctly rounded: the table the exponent's low six bits index.
    private static readonly ulong[] Powers =
    [
        0x3FF0000000000000, 0x3FF02C9A3E778061, 0x3FF059B0D3158574, 0x3FF0874518759BC8,
        0x3FF0B5586CF9890F, 0x3FF0E3EC32D3D1A2, 0x3FF11301D0125B51, 0x3FF1429AAEA92DE0,
        0x3FF172B83C7D517B, 0x3FF1A35BEB6FCB75, 0x3FF1D4873168B9AA, 0x3FF2063B88628CD6,
        0x3FF2387A6E756238, 0x3FF26B4565E27CDD, 0x3FF29E9DF51FDEE1, 0x3FF2D285A6E4030B,
        0x3FF306FE0A31B715, 0x3FF33C08B26416FF, 0x3FF371A7373AA9CB, 0x3FF3A7DB34E59FF7,
        0x3FF3DEA64C123422, 0x3FF4160A21F72E2A, 0x3FF44E086061892D, 0x3FF486A2B5C13CD0,
        0x3FF4BFDAD5362A27, 0x3FF4F9B2769D2CA7, 0x3FF5342B569D4F82, 0x3FF56F4736B527DA,
        0x3FF5AB07DD485429, 0x3FF5E76F15AD2148, 0x3FF6247EB03A5585, 0x3FF6623882552225,
        0x3FF6A09E667F3BCD, 0x3FF6DFB23C651A2F, 0x3FF71F75E8EC5F74, 0x3FF75FEB564267C9,
        0x3FF7A11473EB0187, 0x3FF7E2F336CF4E62, 0x3FF82589994CCE13, 0x3FF868D99B4492ED,
        0x3FF8ACE5422AA0DB, 0x3FF8F1AE99157736, 0x3FF93737B0CDC5E5, 0x3FF97D829FDE4E50,
        0x3FF9C49182A3F090, 0x3FFA0C667B5DE565, 0x3FFA5503B23E255D, 0x3FFA9E6B5579FDBF,
        0x3FFAE89F995AD3AD, 0x3FFB33A2B84F15FB, 0x3FFB7F76F2FB5E47, 0x3FFBCC1E904BC1D2,
        0x3FFC199BDD85529C, 0x3FFC67F12E57D14B, 0x3FFCB720DCEF9069, 0x3FFD072D4A07897C,
        0x3FFD5818DCFBA487, 0x3FFDA9E603DB3285, 0x3FFDFC97337B9B5F, 0x3FFE502EE78B3FF6,
        0x3FFEA4AFA2A490DA, 0x3FFEFA1BEE615A27, 0x3FFF50765B6E4540, 0x3FFFA7C1819E90D8,
    ];

    // OpenCV's polynomial for 2^x on [-1/128, 1/128], each coefficient divided by the scale A0 (as OpenCV does).
    private static readonly double Scale = Bits(0x3F83CE0F3E46F431);
    private static readonly double C5 = 1.0 / Scale;
    private static readonly double C4 = Bits(0x3FE62E42FEFA39F1) / Scale;
    private static readonly double C3 = Bits(0x3FCEBFBDFF82A45A) / Scale;
    private static readonly double C2 = Bits(0x3FAC6B08D81FEC75) / Scale;
    private static readonly double C1 = Bits(0x3F83B2A72B4F3CD3) / Scale;
    private static readonly double C0 = Bits(0x3F55E7AA1566C2A4) / Scale;
    private static readonly double PreScale = Bits(0x3FF71547652B82FE) * (1 << TableBits);   // 64 / ln 2
    private static readonly double PostScale = 1.0 / (1 << TableBits);
    private static readonly double MaxArgument = 3000.0 * (1 << TableBits);

    public static double Exp(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (double.IsInfinity(x)) return x > 0 ? x : 0.0;

        var biasedExponent = (int)((BitConverter.DoubleToUInt64Bits(x) >> 52) & 0x7FF);
        var x0 = biasedExponent > 1023 + 10 ? (x < 0 ? -MaxArgument : MaxArgument) : x * PreScale;
        var whole = (int)Math.Round(x0, MidpointRounding.ToEven);
        var exponent = Math.Clamp((whole >> TableBits) + 1023, 0, 2047);
        var power = BitConverter.UInt64BitsToDouble((ulong)exponent << 52);
        x0 = (x0 - Math.Round(x0, MidpointRounding.ToEven)) * PostScale;
        var poly = (((((((((C0 * x0) + C1) * x0) + C2) * x0) + C3) * x0) + C4) * x0) + C5;
        return power * Scale * Bits(Powers[whole & ((1 << TableBits) - 1)]) * poly;
    }

    private static double Bits(ulong bits) => BitConverter.UInt64BitsToDouble(bits);
}
