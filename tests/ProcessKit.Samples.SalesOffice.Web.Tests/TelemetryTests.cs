using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ProcessKit.Diagnostics;

namespace ProcessKit.Samples.SalesOffice.Web.Tests;

/// <summary>OpenTelemetry in the app: ProcessKit's activity source and meter are listened to.</summary>
public sealed class TelemetryTests
{
    /// <remarks>
    /// With the console export on, as when the app is run: OpenTelemetry's SDK subscribes to a source or meter
    /// only when something exports what it records, so with the export off (the other tests) nothing listens.
    /// </remarks>
    [Fact]
    public async Task With_the_console_export_on_the_app_listens_to_the_ProcessKit_activity_source_and_meter()
    {
        await using var app = WebApp.OnTestServer(consoleTelemetry: true);
        _ = app.Server;

        using var source = new ActivitySource(ProcessKitDiagnostics.SourceName);
        using var meter = new Meter(ProcessKitDiagnostics.MeterName);
        var counter = meter.CreateCounter<long>("salesoffice.web.tests.probe");

        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.NotNull(app.Services.GetService<MeterProvider>());
        Assert.True(counter.Enabled, "meter");
        Assert.True(source.HasListeners(), "source");
    }
}
