using System.Reflection;

namespace ProcessKit.Benchmarks.Compare;

/// <summary>The package version an assembly was built as (its informational version, without the commit).</summary>
internal static class PackageVersion
{
    /// <summary>The version of the assembly that defines <paramref name="type"/>.</summary>
    public static string Of(Type type)
    {
        var assembly = type.Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "?";
    }
}
