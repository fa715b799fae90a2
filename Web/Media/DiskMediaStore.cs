using Microsoft.Extensions.FileProviders;

namespace Site.Web.Media;

public sealed class DiskMediaStore(string root) : IMediaStore, IDisposable
{
    private readonly PhysicalFileProvider files = new(root);

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

    public async Task PutAsync(string path, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var target = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        // Written beside the target and renamed over it, so a reader finds the old file or the new one, never half of one.
        var partial = $"{target}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var file = File.Create(partial))
            {
                await content.CopyToAsync(file, cancellationToken);
            }

            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public void Dispose() => files.Dispose();

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        File.Delete(Path.Combine(root, path));
        return Task.CompletedTask;
    }
}
