namespace EmoFarm.Model.Loading;

/// <summary>No checkpoint was given and random weights were not asked for: the model refuses to pretend.</summary>
public sealed class ModelNotConfiguredException(string message) : Exception(message);
