namespace OtpClients.Tests.Infrastructure;

/// <summary>Finds the repository root (the folder holding <c>OtpClients.sln</c>) from the test output folder.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "OtpClients.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("OtpClients.sln was not found above " + AppContext.BaseDirectory);
    });

    public static string Path => Root.Value;
}
