using Microsoft.Extensions.Configuration;

namespace ProcessKit.Samples.SalesOffice.Web.Tests;

/// <summary>The app's settings: the database file (<c>--db</c> or <c>SalesOffice:Database</c>) and the console telemetry switch.</summary>
public sealed class WebSettingsTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "salesoffice-root");

    [Fact]
    public void Without_settings_the_database_is_salesoffice_web_db_in_the_content_root_and_telemetry_goes_to_the_console()
    {
        var settings = WebSettings.Read(new ConfigurationBuilder().Build(), Root);

        Assert.Equal(Path.Combine(Root, "salesoffice-web.db"), settings.DatabasePath);
        Assert.True(settings.ConsoleTelemetry);
    }

    [Fact]
    public void The_db_switch_names_the_database_file_and_the_telemetry_switch_turns_the_console_export_off()
    {
        var configuration = new ConfigurationBuilder()
            .AddCommandLine(["--db", "other.db", "--SalesOffice:ConsoleTelemetry=false"], WebSettings.SwitchMappings)
            .Build();

        var settings = WebSettings.Read(configuration, Root);

        Assert.Equal(Path.Combine(Root, "other.db"), settings.DatabasePath);
        Assert.False(settings.ConsoleTelemetry);
    }
}
