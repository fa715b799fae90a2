using Microsoft.Extensions.FileProviders;

namespace Site.Web.Media;

public sealed class DiskMediaStore(IFileProvider files) : IMediaStore
{
    public Task<MediaFile?> FindAsync(string path, CancellationToken cancellationToken)
    {
        var file = files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null)
        {
            return Task.FromResult<MediaFile?>(null);
        }

        var etag = $"\"{file.Length:x}-{file.LastModified.UtcTicks:x}\"";
        return Task.FromResult<MediaFile?>(new MediaFile(file.Length, file.LastModified, etag, file.CreateReadStream));
    }
}
