namespace Site.Web.Data;

/// <summary>Whether the schema is in place; readiness stays false until migrations have run in this process.</summary>
public sealed class DatabaseStatus
{
    private volatile bool migrated;

    public bool Migrated => migrated;

    public void MarkMigrated() => migrated = true;
}
