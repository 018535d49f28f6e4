using System.Reflection;

namespace OtpClients.Samples;

/// <summary>Where a sample reads its settings: its project folder when there (edits take effect without a rebuild), else beside the binary.</summary>
internal static class SampleContentRoot
{
    public static string Find(Assembly assembly)
    {
        var project = assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), false)
            .OfType<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SampleProjectDirectory")?.Value;
        return project is not null && File.Exists(Path.Combine(project, "appsettings.json")) ? project : AppContext.BaseDirectory;
    }
}
