using Dapper;
using MySqlConnector;
using Site.Web.Data;

namespace Site.Web.Admin;

/// <summary>One thing the owner did: "hid guestbook entry", "#42 by Ann".</summary>
public sealed record OwnerAction(long Id, DateTime DoneAt, string Actor, string Action, string Subject);

/// <summary>The record of every owner action, who did what and when, shown at /admin/activity.</summary>
public sealed class OwnerActions(Db db)
{
    public const int SubjectLength = 200;

    /// <summary>Records an action in the transaction that makes the change, so it is recorded if and only if the change is committed.</summary>
    public static Task RecordAsync(
        MySqlTransaction transaction, string actor, string action, string subject, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO owner_actions (actor, action, subject) VALUES (@actor, @action, @subject)",
            new { actor, action, subject = subject.Length > SubjectLength ? subject[..(SubjectLength - 1)] + "…" : subject },
            transaction, cancellationToken: cancellationToken));

    public Task<AdminPage<OwnerAction>> PageAsync(int page, CancellationToken cancellationToken) =>
        db.RunAsync("admin.activity", async connection =>
        {
            var rows = (await connection.QueryAsync<OwnerAction>(new CommandDefinition(
                """
                SELECT id AS Id, done_at AS DoneAt, actor AS Actor, action AS Action, subject AS Subject
                FROM owner_actions ORDER BY id DESC LIMIT @take OFFSET @skip
                """,
                new { take = AdminStore.PageSize + 1, skip = (long)(page - 1) * AdminStore.PageSize }, cancellationToken: cancellationToken))).ToList();
            return new AdminPage<OwnerAction>(rows.Take(AdminStore.PageSize).ToList(), page, rows.Count > AdminStore.PageSize);
        }, cancellationToken);
}
