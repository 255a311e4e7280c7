namespace ProcessKit.Samples.SalesOffice.Web;

/// <summary>
/// The app's settings: configuration keys <c>SalesOffice:Database</c> (command line <c>--db PATH</c>; default
/// <c>salesoffice-web.db</c>, relative to the content root) and <c>SalesOffice:ConsoleTelemetry</c> (default true).
/// </summary>
internal sealed record WebSettings(string DatabasePath, bool ConsoleTelemetry)
{
    public const string DatabaseKey = "SalesOffice:Database";
    public const string ConsoleTelemetryKey = "SalesOffice:ConsoleTelemetry";
    public const string DefaultDatabase = "salesoffice-web.db";

    /// <summary>Command-line switches and the keys they set.</summary>
    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--db"] = DatabaseKey,
    };

    public static WebSettings Read(IConfiguration configuration, string contentRoot)
    {
        var database = configuration[DatabaseKey];
        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(database) ? DefaultDatabase : database, contentRoot);
        var console = configuration[ConsoleTelemetryKey];
        return new WebSettings(path, string.IsNullOrWhiteSpace(console) || bool.Parse(console));
    }
}
