namespace EmoFarm.Faces.Quality;

/// <param name="AcrossSeam">The largest landmark step across the seam, in face sizes.</param>
/// <param name="WithinSegments">The median step elsewhere, in face sizes.</param>
/// <param name="Ratio">AcrossSeam / max(WithinSegments, <see cref="LandmarkMotion.MinimumStep"/>); NaN without faces.</param>
public readonly record struct SeamContinuity(double AcrossSeam, double WithinSegments, double Ratio);
