using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ProcessKit.Sqlite.Tests;

public sealed class SqliteStoreOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_as_documented()
    {
        var options = new SqliteStoreOptions();

        Assert.Empty(options.Validate());
        Assert.Equal("Data Source=processkit.db", options.ConnectionString);
        Assert.Equal(SqliteSynchronousMode.Full, options.Synchronous);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BusyTimeout);
        Assert.Equal(TimeSpan.Zero, options.GroupCommitWindow);
        Assert.Equal(512, options.MaxBatchSize);
        Assert.Equal("default", options.TenantId);
        Assert.Equal(TimeSpan.FromMinutes(5), options.LeaseDuration);
    }

    public static TheoryData<string, Action<SqliteStoreOptions>> InvalidSettings() => new()
    {
        { "ConnectionString is empty", o => o.ConnectionString = " " },
        { "cannot be read", o => o.ConnectionString = "Data Source=a.db;Nonsense=1" },
        { "names no file", o => o.ConnectionString = "Mode=ReadWriteCreate" },
        { "in-memory", o => o.ConnectionString = "Data Source=:memory:" },
        { "in-memory", o => o.ConnectionString = "Data Source=x;Mode=Memory" },
        { "read-only", o => o.ConnectionString = "Data Source=x.db;Mode=ReadOnly" },
        { "Synchronous is 0", o => o.Synchronous = 0 },
        { "BusyTimeout", o => o.BusyTimeout = TimeSpan.FromMilliseconds(-1) },
        { "BusyTimeout", o => o.BusyTimeout = TimeSpan.FromDays(30) },
        { "GroupCommitWindow", o => o.GroupCommitWindow = TimeSpan.FromTicks(-1) },
        { "GroupCommitWindow", o => o.GroupCommitWindow = TimeSpan.FromSeconds(2) },
        { "MaxBatchSize", o => o.MaxBatchSize = 0 },
        { "MaxBatchSize", o => o.MaxBatchSize = 100_001 },
        { "LeaseDuration", o => o.LeaseDuration = TimeSpan.Zero },
        { "LeaseDuration", o => o.LeaseDuration = TimeSpan.FromDays(1) + TimeSpan.FromTicks(1) },
        { "TenantId is empty", o => o.TenantId = "" },
        { "TenantId must be", o => o.TenantId = new string('t', 129) },
        { "TenantId must be", o => o.TenantId = "a\nb" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Each_invalid_setting_is_reported_in_a_sentence_that_names_it(string expected, Action<SqliteStoreOptions> configure)
    {
        var options = new SqliteStoreOptions();
        configure(options);

        var problem = Assert.Single(options.Validate());
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new SqliteStoreOptions { ConnectionString = "", MaxBatchSize = -3, TenantId = "", BusyTimeout = TimeSpan.FromSeconds(-1) };

        Assert.Equal(4, options.Validate().Count);
    }

    [Fact]
    public async Task Opening_with_invalid_options_fails_with_every_problem_and_creates_no_file()
    {
        using var db = new TempDatabase();
        var options = db.Options(o => { o.MaxBatchSize = 0; o.TenantId = ""; });

        var error = await Assert.ThrowsAsync<ProcessStoreException>(() => SqliteStorage.OpenAsync(options, TimeProvider.System, TestContext.Current.CancellationToken));

        Assert.Equal("store.options-invalid", error.ErrorCode);
        Assert.Contains("MaxBatchSize", error.Message, StringComparison.Ordinal);
        Assert.Contains("TenantId", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(db.Path));
    }

    [Property]
    public Property Window_and_batch_size_are_valid_exactly_within_their_bounds()
    {
        var windows = Gen.Choose(-2_000, 2_000).Select(static ms => TimeSpan.FromMilliseconds(ms));
        var sizes = Gen.Choose(-10, 200_000);
        return Prop.ForAll(windows.ToArbitrary(), sizes.ToArbitrary(), (window, size) =>
        {
            var problems = new SqliteStoreOptions { GroupCommitWindow = window, MaxBatchSize = size }.Validate();
            var expected = (window < TimeSpan.Zero || window > TimeSpan.FromSeconds(1) ? 1 : 0) + (size is < 1 or > 100_000 ? 1 : 0);
            Assert.Equal(expected, problems.Count);
        });
    }
}
