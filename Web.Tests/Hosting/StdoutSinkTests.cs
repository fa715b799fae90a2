using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Serilog.Events;
using Serilog.Parsing;
using Site.Web.Hosting;

namespace Site.Web.Tests.Hosting;

public sealed class StdoutSinkTests
{
    [Fact]
    public void EventsLoggedTogetherFromManyThreadsComeOutAsWholeLinesOneWriteEach()
    {
        var output = new WriteRecorder();
        var sink = new StdoutSink(new LogLineFormatter(), output);
        // Long messages of characters outside the BMP, at both alignments: the formatted line spans several of the
        // buffer's chunks, and some chunk ends between the two halves of a character.
        var messages = Enumerable.Range(0, 8).Select(i => new string('x', i % 2) + string.Concat(Enumerable.Repeat("\U0001F600é", 3000 + i))).ToArray();

        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => sink.Emit(Event(messages[i % messages.Length], i)));

        Assert.Equal(400, output.Writes.Count);
        var seen = new HashSet<int>();
        foreach (var write in output.Writes)
        {
            var line = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(write);
            Assert.EndsWith("}\n", line, StringComparison.Ordinal);
            Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            var fields = JsonDocument.Parse(line).RootElement;
            var number = fields.GetProperty("Number").GetInt32();
            Assert.Equal(messages[number % messages.Length], fields.GetProperty("Text").GetString());
            Assert.True(seen.Add(number));
        }
    }

    private static LogEvent Event(string text, int number) => new(
        DateTimeOffset.UtcNow, LogEventLevel.Information, null, new MessageTemplateParser().Parse("Line {Number}: {Text}"),
        [new LogEventProperty("Number", new ScalarValue(number)), new LogEventProperty("Text", new ScalarValue(text))]);

    /// <summary>Each Write the sink makes, as it made it.</summary>
    private sealed class WriteRecorder : Stream
    {
        public ConcurrentQueue<byte[]> Writes { get; } = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Writes.Enqueue(buffer.AsSpan(offset, count).ToArray());

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
