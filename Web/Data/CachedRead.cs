using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Site.Web.Data;

public sealed class ReadCacheOptions
{
    public const string SectionName = "ReadCache";

    /// <summary>
    /// How long a task serves what it read for visitors (the newest guestbook screen, the published pages and the menu)
    /// before reading it again. Every task shows a change within this time of it being committed, whichever task made
    /// it; the 1 s ceiling is that promise. 0 reads the database on every view.
    /// </summary>
    [Range(0, 1000)]
    public int LifetimeMs { get; set; } = 500;
}

/// <summary>
/// One read that nearly every view asks for, served again by this task until it is <see cref="ReadCacheOptions.LifetimeMs"/>
/// old or this task changed what it read (<see cref="Changed"/>). A failed read is not kept: with the database away,
/// views answer as they would uncached once the lifetime is over.
/// </summary>
public sealed class CachedRead<T>(TimeProvider clock, IOptions<ReadCacheOptions> options)
    where T : class
{
    /// <summary>The value as read at <paramref name="ReadAt"/> (a monotonic timestamp taken before the query was sent).</summary>
    private sealed record Held(T Value, long ReadAt, long Generation);

    private readonly TimeSpan lifetime = TimeSpan.FromMilliseconds(options.Value.LifetimeMs);
    private Held? held;
    private long generation;

    /// <summary>This task committed a change to what is read: its next reader reads again.</summary>
    public void Changed() => Interlocked.Increment(ref generation);

    /// <param name="read">The query.</param>
    /// <param name="usable">False for a held value the caller knows to be behind (it lacks what the visitor just posted).</param>
    public async Task<T> GetAsync(Func<Task<T>> read, Func<T, bool>? usable = null)
    {
        if (held is { } current && current.Generation == Interlocked.Read(ref generation) && clock.GetElapsedTime(current.ReadAt) < lifetime
            && (usable is null || usable(current.Value)))
        {
            return current.Value;
        }

        var readAt = clock.GetTimestamp();
        var seen = Interlocked.Read(ref generation);
        var value = await read();
        var fresh = new Held(value, readAt, seen);
        // Concurrent readers each read; the most recent read is kept, never an older one over it.
        for (var kept = held; kept is null || kept.ReadAt <= fresh.ReadAt; kept = held)
        {
            if (Interlocked.CompareExchange(ref held, fresh, kept) == kept)
            {
                break;
            }
        }

        return value;
    }
}
