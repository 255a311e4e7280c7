namespace ProcessKit.Definitions;

/// <summary>Argument checks shared by the builder's handles.</summary>
internal static class BuilderArguments
{
    /// <summary>Adds every item, refusing a <see langword="null"/> array or item before adding any.</summary>
    public static void AddAll<T>(List<T> list, T[] items, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(items))] string? paramName = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(items, paramName);
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] is null)
            {
                throw new ArgumentNullException(paramName, $"Item {i} of '{paramName}' is null.");
            }
        }

        list.AddRange(items);
    }

    /// <summary>Adds every name, refusing a <see langword="null"/> array or a <see langword="null"/>, empty or white-space name before adding any.</summary>
    public static void AddAllNames(List<string> list, string[] names, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(names))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(names, paramName);
        for (var i = 0; i < names.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
            {
                throw new ArgumentException($"Item {i} of '{paramName}' is null, empty or white space.", paramName);
            }
        }

        list.AddRange(names);
    }

    /// <summary>Creates a multi-instance setting, refusing a missing collection or item name.</summary>
    public static MultiInstance MultiInstance(ProcessExpression collection, string itemName, MultiInstanceMode mode, int? requiredCompletions)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentException.ThrowIfNullOrWhiteSpace(itemName);
        return new MultiInstance(collection, itemName) { Mode = mode, RequiredCompletions = requiredCompletions };
    }
}
