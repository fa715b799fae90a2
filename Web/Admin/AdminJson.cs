using System.Text.Json;
using System.Text.Json.Serialization;

namespace Site.Web.Admin;

/// <summary>The owner's API bodies, serialized by code generated at build time (as <c>GuestbookJson</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AdminApi.PageDto<AdminApi.MessageDto>))]
[JsonSerializable(typeof(AdminApi.PageDto<AdminApi.EntryDto>))]
[JsonSerializable(typeof(AdminApi.TokenDto))]
[JsonSerializable(typeof(AdminApi.BulkDto))]
[JsonSerializable(typeof(AdminApi.BulkResultDto))]
internal sealed partial class AdminJson : JsonSerializerContext;
