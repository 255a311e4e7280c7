namespace ProcessKit.Definitions;

/// <summary>Whether the instances of a multi-instance step run one after another or at once.</summary>
public enum MultiInstanceMode
{
    /// <summary>All at once. The default.</summary>
    Parallel,

    /// <summary>One after another, in list order.</summary>
    Sequential,
}
