using System.Text;

namespace ProcessKit.MultiNodeHost;

/// <summary>Writes each line to a stream with one write call, flushed before it returns, so a kill never leaves half a line.</summary>
internal sealed class LineWriter(Stream stream)
{
    private readonly Lock _gate = new();

    public void Line(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\n");
        lock (_gate)
        {
            stream.Write(bytes);
            stream.Flush();
        }
    }
}
