using System.Text.Json;
using System.Text.Json.Serialization;

namespace Site.Web.Gallery;

/// <summary>The stored sizes and sources of a gallery item, in code generated at build time (not reflection on each new task).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IReadOnlyList<StoredSize>))]
[JsonSerializable(typeof(List<StoredSize>))]
[JsonSerializable(typeof(IReadOnlyList<VideoSource>))]
[JsonSerializable(typeof(List<VideoSource>))]
internal sealed partial class GalleryJson : JsonSerializerContext;
