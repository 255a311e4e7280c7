namespace ProcessKit.AspNetCore.Throughput;

/// <summary>
/// One measured case: a loop (the HTTP endpoints or the engine called directly) with some users.
/// Latencies are of the complete call alone (request sent to response read, or the engine's await);
/// the rate counts completions begun after the warm-up, over the measured window. CPU time and allocated
/// bytes are the whole process's over the window (server, clients, store; the list and start calls
/// included) divided by the completions.
/// </summary>
internal sealed record CaseResult(
    string Mode,
    int Users,
    double WindowSeconds,
    long Completions,
    double CompletionsPerSecond,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    double ListP50Ms,
    double ListP99Ms,
    double CpuMicrosecondsPerCompletion,
    double AllocatedKilobytesPerCompletion,
    long TotalCompletions,
    int Instances,
    long Errors,
    IReadOnlyList<string> Problems,
    string LoadAverage);
