using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Site.Web.Common;

public static class ModelStateExtensions
{
    /// <summary>The first error message for a field, shown next to it.</summary>
    public static string? ErrorFor(this ModelStateDictionary modelState, string key) =>
        modelState[key]?.Errors.FirstOrDefault()?.ErrorMessage;

    /// <summary>The errors of the form as a whole (not of one field), shown above it.</summary>
    public static IReadOnlyList<string> FormErrors(this ModelStateDictionary modelState) =>
        modelState[string.Empty]?.Errors.Select(e => e.ErrorMessage).ToList() ?? [];

    /// <summary>"true" for aria-invalid when the field has an error; null leaves the attribute out.</summary>
    public static string? InvalidFor(this ModelStateDictionary modelState, string key) =>
        modelState.ErrorFor(key) is null ? null : "true";
}
