using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessKit.PostgreSql.Schema;

namespace ProcessKit.PostgreSql.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = new PostgreSqlStoreOptions();

        Assert.Equal("", options.ConnectionString);
        Assert.Equal("processkit", options.SchemaName);
        Assert.Equal("default", options.TenantId);
        Assert.Equal(TimeSpan.FromSeconds(30), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.PollingBackoffMin);
        Assert.Equal(TimeSpan.FromSeconds(5), options.PollingBackoffMax);
        Assert.Null(options.NodeName);
        Assert.Contains(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), options.EffectiveNodeName, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ProcessKit")]
    [InlineData("1store")]
    [InlineData("my-store")]
    [InlineData("store name")]
    [InlineData("x\";drop schema public;--")]
    [InlineData("store\n")]
    [InlineData("sch\u00e9ma")]
    [InlineData("pg_store")]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123")]
    public void A_schema_name_that_is_not_a_plain_lowercase_identifier_is_refused_with_a_clear_message(string name)
    {
        var options = new PostgreSqlStoreOptions();

        var error = Assert.Throws<ArgumentException>(() => options.SchemaName = name);

        Assert.Equal(nameof(PostgreSqlStoreOptions.SchemaName), error.ParamName);
        Assert.Contains("is not accepted", error.Message, StringComparison.Ordinal);
        Assert.Equal("processkit", options.SchemaName);
    }

    [Theory]
    [InlineData("processkit")]
    [InlineData("_private")]
    [InlineData("user")]
    [InlineData("tenant_42_store")]
    [InlineData("a12345678901234567890123456789012345678901234567890123456789012")]
    public void A_plain_lowercase_identifier_is_accepted_as_schema_name(string name)
    {
        var options = new PostgreSqlStoreOptions { SchemaName = name };

        Assert.Equal(name, options.SchemaName);
    }

    [Property]
    public Property A_schema_name_is_accepted_exactly_when_it_matches_the_identifier_pattern()
    {
        var chars = Gen.Elements("abcxyz_019AZ-. \"é".ToCharArray());
        var names = Gen.ArrayOf(chars).Select(a => new string(a)).ToArbitrary();
        return Prop.ForAll(names, name =>
        {
            var expected = name.Length is >= 1 and <= 63
                && (name[0] is >= 'a' and <= 'z' || name[0] == '_')
                && name.All(c => c is >= 'a' and <= 'z' || c is >= '0' and <= '9' || c == '_')
                && !name.StartsWith("pg_", StringComparison.Ordinal);
            return StoreSchema.IsValidName(name) == expected;
        });
    }

    [Fact]
    public void Lease_and_backoff_must_be_positive()
    {
        var options = new PostgreSqlStoreOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.LeaseDuration = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.PollingBackoffMin = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.PollingBackoffMax = TimeSpan.FromDays(2));
    }

    [Fact]
    public void Blank_tenant_or_node_name_is_refused()
    {
        var options = new PostgreSqlStoreOptions();

        Assert.Throws<ArgumentException>(() => options.TenantId = " ");
        Assert.Throws<ArgumentException>(() => options.NodeName = "");
        Assert.Throws<ArgumentException>(() => options.TenantId = new string('t', 201));
    }

    [Fact]
    public void Validation_refuses_a_missing_connection_string()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new PostgreSqlStoreOptions().Validate());

        Assert.Contains(nameof(PostgreSqlStoreOptions.ConnectionString), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_refuses_a_minimum_backoff_above_the_maximum()
    {
        var options = new PostgreSqlStoreOptions
        {
            ConnectionString = "Host=localhost",
            PollingBackoffMin = TimeSpan.FromSeconds(10),
            PollingBackoffMax = TimeSpan.FromSeconds(1),
        };

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains(nameof(PostgreSqlStoreOptions.PollingBackoffMin), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_schema_name_still_gives_a_channel_name_postgres_accepts()
    {
        var schema = new StoreSchema(new string('s', 63));

        Assert.True(schema.TimerChannel.Length <= 63);
        Assert.EndsWith("_timers", schema.TimerChannel, StringComparison.Ordinal);
    }
}
