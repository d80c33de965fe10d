using EdgeNet.Trainer.Data;

namespace EdgeNet.Tests.Training;

/// <summary>Temporary data files and the shared datasets folder for the trainer tests.</summary>
public static class TestData
{
    /// <summary>../shared/datasets beside the repository (CI lays it there).</summary>
    public static string DatasetsFolder
    {
        get
        {
            string folder = Path.GetFullPath(Path.Combine(DeviceBuild.RepoRoot, "..", "shared", "datasets"));
            if (!Directory.Exists(folder))
                throw new InvalidOperationException(
                    $"the benchmark datasets are missing: expected {folder} (the shared/datasets folder laid beside the " +
                    "repository; see its README.md for the UCI source of each dataset)");
            return folder;
        }
    }

    public static string Dataset(string relative) => Path.Combine(DatasetsFolder, relative);

    public static Dataset Iris() => DatasetLoader.Load(Dataset("iris/iris.csv"));
    public static Dataset Wine() => DatasetLoader.Load(Dataset("wine/wine_data.csv"));

    /// <summary>Writes text to a fresh temporary file with the given extension and returns its path.</summary>
    public static string Write(string text, string extension = ".csv")
    {
        string dir = Path.Combine(Path.GetTempPath(), "edgenet-tests");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, Guid.NewGuid().ToString("N") + extension);
        File.WriteAllText(path, text);
        return path;
    }
}
