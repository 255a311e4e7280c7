using System.Text;
using System.Text.Encodings.Web;

namespace ProcessKit.AspNetCore.Inbox;

/// <summary>The inbox page's files, read once from the assembly's embedded resources.</summary>
/// <remarks>Thread-safe: the files are read lazily once and never change.</remarks>
internal static class InboxAssets
{
    private static readonly Lazy<string> Html = new(() => Encoding.UTF8.GetString(Read("inbox.html")));

    public static readonly Lazy<byte[]> Script = new(() => Read("inbox.js"));

    public static readonly Lazy<byte[]> Styles = new(() => Read("inbox.css"));

    /// <summary>The page, pointing at the API under <paramref name="apiPrefix"/> and its files under <paramref name="assetsPath"/>.</summary>
    public static byte[] Page(string apiPrefix, string assetsPath) =>
        Encoding.UTF8.GetBytes(Html.Value
            .Replace("{{api}}", HtmlEncoder.Default.Encode(apiPrefix), StringComparison.Ordinal)
            .Replace("{{assets}}", HtmlEncoder.Default.Encode(assetsPath), StringComparison.Ordinal));

    private static byte[] Read(string name)
    {
        using var stream = typeof(InboxAssets).Assembly.GetManifestResourceStream("ProcessKit.AspNetCore.Inbox." + name)
            ?? throw new InvalidOperationException($"The inbox file '{name}' is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
