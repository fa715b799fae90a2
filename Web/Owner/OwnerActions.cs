using Dapper;
using MySqlConnector;

namespace Site.Web.Owner;

/// <summary>One thing the owner did: "hid guestbook entry", "#42 by Ann".</summary>
public sealed record OwnerAction(long Id, DateTime DoneAt, string Actor, string Action, string Subject);

/// <summary>The record of every owner action, who did what and when, kept in owner_actions and shown at /admin/activity.</summary>
public static class OwnerActions
{
    public const int SubjectLength = 200;

    /// <summary>Records an action in the transaction that makes the change, so it is recorded if and only if the change is committed.</summary>
    public static Task RecordAsync(
        MySqlTransaction transaction, string actor, string action, string subject, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO owner_actions (actor, action, subject) VALUES (@actor, @action, @subject)",
            new { actor, action, subject = subject.Length > SubjectLength ? subject[..(SubjectLength - 1)] + "…" : subject },
            transaction, cancellationToken: cancellationToken));
}
