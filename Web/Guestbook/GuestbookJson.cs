using System.Text.Json;
using System.Text.Json.Serialization;

namespace Site.Web.Guestbook;

/// <summary>
/// The API's bodies, serialized by code generated at build time: a new task does not build their contracts by
/// reflection while it maps its endpoints (a twentieth of its start-up; docs/benchmarks.md).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(GuestbookApi.PageDto))]
[JsonSerializable(typeof(GuestbookApi.EntryDto))]
[JsonSerializable(typeof(GuestbookApi.PostDto))]
[JsonSerializable(typeof(GuestbookApi.ReceivedDto))]
internal sealed partial class GuestbookJson : JsonSerializerContext;
