using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Site.Web.Data;
using Site.Web.Tests.Admin;

namespace Site.Web.Tests.Infrastructure;

/// <summary>A clock that stands still until told to move, wall clock and timestamps alike.</summary>
public sealed class StoppedClock : TimeProvider
{
    private long ticks = DateTimeOffset.UtcNow.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref ticks);

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}

/// <summary>
/// A task that keeps what visitors read for the longest lifetime allowed (1 s, the promise), with the owner's
/// sign-in switched on.
/// </summary>
public class CachingSite : SiteFactory
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMilliseconds(1000);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(AdminSiteFactory.OwnerSettings)
    {
        [$"{ReadCacheOptions.SectionName}:{nameof(ReadCacheOptions.LifetimeMs)}"] = $"{Lifetime.TotalMilliseconds}",
    };
}

/// <summary>On a database server of its own, which a test may stop.</summary>
public sealed class PrivateCachingSite : CachingSite
{
    protected override bool OwnServer => true;
}

/// <summary>A second caching task whose clock moves only when a test moves it, so what it serves at each instant is exactly what the code guarantees, however slow the machine.</summary>
public sealed class ClockedSite : CachingSite
{
    public StoppedClock Clock { get; } = new();

    public ClockedSite Beside(SiteFactory first)
    {
        ShareDatabaseOf(first);
        return this;
    }

    protected override void ConfigureServices(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
}

/// <summary>Two tasks of the site on one database: A on a real clock, B on a stopped one, sharing A's database and settings.</summary>
public sealed class TwoTasks<TFirst> : IAsyncLifetime
    where TFirst : CachingSite, new()
{
    public TFirst A { get; } = new();

    public ClockedSite B { get; private set; } = null!;

    /// <summary>B reads <paramref name="path"/> now, so that what it holds is exactly as old as its clock moves from here.</summary>
    public async Task FreshReadOnBAsync(HttpClient b, string path)
    {
        B.Clock.Advance(CachingSite.Lifetime);
        await b.GetDocumentAsync(path);
    }

    public async Task InitializeAsync()
    {
        await A.InitializeAsync();
        B = new ClockedSite().Beside(A);
        await B.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}
