using System.Threading.Channels;
using Npgsql;
using ProcessKit.PostgreSql.Schema;

namespace ProcessKit.PostgreSql.Leasing;

/// <summary>
/// Sleeps a worker loop between polls for due timers: wakes on a NOTIFY on the schema's timer channel for this tenant,
/// at the next known due time, or when the polling backoff elapses, whichever comes first. The backoff starts at its
/// minimum, doubles after each wait that ended without work, up to its maximum, and falls back to the minimum when the
/// caller reports work (<see cref="ResetBackoff"/>) or a notification arrives.
/// </summary>
/// <remarks>
/// A dedicated connection LISTENs in the background; when it breaks, the waiter reconnects after the minimum backoff
/// and wakes the worker, because notifications sent meanwhile are lost. The store gives the waiter a data source that
/// does not pool (<see cref="PostgreSqlInfrastructure.ListenDataSource"/>): closing the connection ends its session, so
/// the LISTEN never outlives the waiter on a pooled connection whose reset is turned off. One worker loop uses a waiter:
/// <see cref="WaitAsync"/> and <see cref="ResetBackoff"/> are not safe to call concurrently; notifications arriving
/// while nobody waits are kept (coalesced into one) for the next wait. Time is read from the given
/// <see cref="TimeProvider"/> (a fake one in tests).
/// </remarks>
internal sealed class TimerWaiter : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly StoreSchema _schema;
    private readonly string _tenant;
    private readonly TimeSpan _backoffMin;
    private readonly TimeSpan _backoffMax;
    private readonly TimeProvider _time;
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly CancellationTokenSource _stop = new();
    private NpgsqlConnection? _connection;
    private Task? _listenLoop;
    private TimeSpan _backoff;

    public TimerWaiter(NpgsqlDataSource dataSource, StoreSchema schema, string tenant, TimeSpan backoffMin, TimeSpan backoffMax, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(backoffMin, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(backoffMax, backoffMin);
        _dataSource = dataSource;
        _schema = schema;
        _tenant = tenant;
        _backoffMin = backoffMin;
        _backoffMax = backoffMax;
        _time = time;
        _backoff = backoffMin;
    }

    /// <summary>The wait the next <see cref="WaitAsync"/> uses when nothing else wakes it.</summary>
    public TimeSpan CurrentBackoff => _backoff;

    /// <summary>
    /// Opens the listening connection and issues LISTEN; notifications committed after this returns are seen.
    /// Call once, before the first wait.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_listenLoop is not null)
            throw new InvalidOperationException("The waiter is already started.");
        _connection = await ListenAsync(cancellationToken).ConfigureAwait(false);
        _listenLoop = Task.Run(() => ListenLoopAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Sets the backoff back to its minimum: call after a poll that found work.</summary>
    public void ResetBackoff() => _backoff = _backoffMin;

    /// <summary>
    /// Waits until a notification for this tenant arrives, <paramref name="nextDueIn"/> passes (when given and shorter
    /// than the backoff), or the backoff elapses. A wait that ends by the backoff doubles the next one (up to the maximum);
    /// a notification resets it to the minimum.
    /// </summary>
    public async Task<WakeReason> WaitAsync(TimeSpan? nextDueIn, CancellationToken cancellationToken)
    {
        if (_signals.Reader.TryRead(out _))
            return Notified();

        var byDueTime = nextDueIn is { } due && due < _backoff;
        var delay = byDueTime ? nextDueIn!.Value : _backoff;
        if (delay <= TimeSpan.Zero)
            return WakeReason.DueTimeReached;

        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(delay, _time, stopDelay.Token);
        var signal = _signals.Reader.WaitToReadAsync(stopDelay.Token).AsTask();
        var first = await Task.WhenAny(timer, signal).ConfigureAwait(false);
        await stopDelay.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        if (_signals.Reader.TryRead(out _))
            return Notified();
        if (first == signal)
        {
            // The channel completed: the waiter is being disposed.
            throw new ObjectDisposedException(nameof(TimerWaiter));
        }

        if (byDueTime)
            return WakeReason.DueTimeReached;
        _backoff = _backoff * 2 > _backoffMax ? _backoffMax : _backoff * 2;
        return WakeReason.BackoffElapsed;
    }

    /// <summary>Stops listening and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_listenLoop is not null)
            await _listenLoop.ConfigureAwait(false);
        if (_connection is not null)
            await _connection.DisposeAsync().ConfigureAwait(false);
        _signals.Writer.TryComplete();
        _stop.Dispose();
    }

    private WakeReason Notified()
    {
        _backoff = _backoffMin;
        return WakeReason.Notified;
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            connection.Notification += OnNotification;
            // LISTEN takes an identifier, not a parameter; the channel derives from a validated schema name.
            await using var listen = new NpgsqlCommand($"LISTEN \"{_schema.TimerChannel}\"", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (string.Equals(e.Payload, _tenant, StringComparison.Ordinal))
            _signals.Writer.TryWrite(true);
    }

    private async Task ListenLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (_connection is null)
                {
                    _connection = await ListenAsync(stop).ConfigureAwait(false);
                    // Notifications sent while disconnected are lost: let the worker poll.
                    _signals.Writer.TryWrite(true);
                }

                await _connection.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
            {
                if (_connection is not null)
                {
                    _connection.Notification -= OnNotification;
                    await _connection.DisposeAsync().ConfigureAwait(false);
                    _connection = null;
                }

                // The reconnect delay starts before the worker is woken, so whoever reacts to the wake-up already
                // finds it running.
                var reconnectDelay = Task.Delay(_backoffMin, _time, stop);
                _signals.Writer.TryWrite(true);
                try
                {
                    await reconnectDelay.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }
}
