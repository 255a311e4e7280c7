using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace ProcessKit.Benchmarks.Compare;

/// <summary>
/// How fast the machine runs right now, read beside each measured run so that a figure can be told apart from the
/// state of the host it was measured in. Two fixed workloads that touch no engine code: filling the same 512 KB
/// buffer 40 times (the memory path: caches and memory writes) and a chain of 400,000 shift-and-xor steps
/// (arithmetic alone). On this project's shared 2-core machine the engines run slower for stretches of 0.1–1 s; in
/// them the fill took a median 1.24 times as long and the arithmetic 1.03 times (session 16, benchmarks/README.md):
/// the reading says which state a figure was measured in. It is the mean of two instants and the two states' fill
/// times overlap, so it is an indicator, not a correction to apply to a rate. It allocates nothing.
/// </summary>
internal static class MachineProbe
{
    private const int FillBytes = 512 * 1024;
    private const int Fills = 40;
    private const int ArithmeticSteps = 400_000;

    // Allocated once, pinned: the same memory every reading, whatever the engines do to the heap.
    private static readonly byte[] Buffer = GC.AllocateArray<byte>(FillBytes, pinned: true);
    private static ulong s_sink;

    /// <summary>Takes one reading (about 1.5 ms).</summary>
    public static MachineReading Read() => new(FillMilliseconds(), ArithmeticMilliseconds());

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double FillMilliseconds()
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Fills; i++)
        {
            Buffer.AsSpan().Fill((byte)i);
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double ArithmeticMilliseconds()
    {
        var start = Stopwatch.GetTimestamp();
        var x = 88172645463325252UL ^ s_sink;
        for (var i = 0; i < ArithmeticSteps; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }

        s_sink = x;
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}

/// <summary>One reading of <see cref="MachineProbe"/>, or the mean of the readings before and after a run.</summary>
/// <param name="FillMs">Milliseconds to fill the fixed 512 KB buffer 40 times: the memory path.</param>
/// <param name="ArithmeticMs">Milliseconds for 400,000 shift-and-xor steps: arithmetic alone.</param>
internal readonly record struct MachineReading(double FillMs, double ArithmeticMs)
{
    /// <summary>The mean of two readings (taken just before and just after a run).</summary>
    public static MachineReading Mean(MachineReading a, MachineReading b) =>
        new((a.FillMs + b.FillMs) / 2, (a.ArithmeticMs + b.ArithmeticMs) / 2);
}
