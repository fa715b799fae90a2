namespace Site.Web.Data;

/// <summary>Whether the schema is in place; readiness stays false until migrations have run in this process.</summary>
public sealed class DatabaseStatus
{
    private readonly TaskCompletionSource migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Migrated => migrated.Task.IsCompleted;

    /// <summary>Completes once the schema is in place: for work that should not compete with the migrations for the database.</summary>
    public Task WhenMigrated => migrated.Task;

    public void MarkMigrated() => migrated.TrySetResult();
}
