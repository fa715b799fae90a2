using System.Buffers;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Site.Web.Hosting;

/// <summary>
/// Writes each event to stdout as one write of its whole line. Serilog's console sink formats the line while it
/// holds the console's lock, so under load every request waited there behind the others' formatting (the guestbook
/// went from 0.87 to 0.93 of the ceiling without it, docs/benchmarks.md); here each thread formats into its own
/// buffer and the lock covers the write alone. Nothing is queued in the process: a line is out of it when Emit returns, as
/// with the console sink, so a task that stops or crashes loses none that were logged.
/// </summary>
public sealed class StdoutSink(ITextFormatter formatter, Stream output) : ILogEventSink
{
    // A rare huge line (an exception's stack) should not stay allocated for the thread's life.
    private const int KeptBufferChars = 16 * 1024;

    [ThreadStatic]
    private static StringWriter? buffer;

    [ThreadStatic]
    private static Encoder? encoder;

    private readonly Lock gate = new();

    public StdoutSink(ITextFormatter formatter)
        : this(formatter, Console.OpenStandardOutput())
    {
    }

    public void Emit(LogEvent logEvent)
    {
        var writer = buffer ??= new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var text = writer.GetStringBuilder();
        text.Clear();
        formatter.Format(logEvent, writer);

        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            // One encoder across the chunks: a character split between two is encoded whole.
            var utf8 = encoder ??= Encoding.UTF8.GetEncoder();
            var length = 0;
            foreach (var chunk in text.GetChunks())
            {
                length += utf8.GetBytes(chunk.Span, bytes.AsSpan(length), flush: false);
            }

            length += utf8.GetBytes([], bytes.AsSpan(length), flush: true);

            lock (gate)
            {
                output.Write(bytes, 0, length);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            if (text.Capacity > KeptBufferChars)
            {
                buffer = null;
            }
        }
    }
}
