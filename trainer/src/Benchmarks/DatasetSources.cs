namespace EdgeNet.Trainer.Benchmarks;

/// <summary>
/// Where each benchmark's data lives under the datasets folder and where to get it when it is absent.
/// Only satellite, shuttle and ionosphere may ship in the repository (see data/); the others are read
/// from the datasets folder only.
/// </summary>
public static class DatasetSources
{
    public sealed record Source(string IdPrefix, string File, string Dataset, string Where);

    public static readonly Source[] All =
    [
        new("satellite", "satellite/satellite.csv", "Statlog Landsat Satellite (UCI #146)",
            "Debian package r-cran-mlbench (data set Satellite, written out as CSV) or https://archive.ics.uci.edu/dataset/146; also bundled in this repository as data/satellite/satellite.csv"),
        new("shuttle", "shuttle/shuttle.csv", "Statlog Shuttle (UCI #148)",
            "Debian package r-cran-mlbench (data set Shuttle, written out as CSV) or https://archive.ics.uci.edu/dataset/148"),
        new("room-occupancy", "room_occupancy_estimation/Occupancy_Estimation.csv", "Room Occupancy Estimation (UCI #864)",
            "https://archive.ics.uci.edu/dataset/864 (Occupancy_Estimation.csv)"),
        new("occupancy", "occupancy/datatraining.txt", "Occupancy Detection (UCI #357)",
            "https://archive.ics.uci.edu/dataset/357 (datatraining.txt, datatest.txt, datatest2.txt)"),
        new("gas-drift", "gas_sensor_drift/gas_drift_dR_32feat.csv", "Gas Sensor Array Drift (UCI #224/#270), trimmed to 32 features",
            "https://archive.ics.uci.edu/dataset/224 (batch files; the 32-column CSV keeps dR and normalised dR of the 16 sensors)"),
        new("ionosphere", "ionosphere/ionosphere.arff", "Ionosphere (UCI #52)",
            "Debian package weka (examples/ionosphere.arff) or https://archive.ics.uci.edu/dataset/52"),
    ];

    /// <summary>The source of a benchmark id (the longest matching prefix), or null.</summary>
    public static Source For(string id) =>
        All.Where(s => id.StartsWith(s.IdPrefix, StringComparison.OrdinalIgnoreCase)).OrderByDescending(s => s.IdPrefix.Length).FirstOrDefault();

    /// <summary>
    /// The headline metric of a benchmark as SPLITS.md names it: balanced accuracy where rare classes matter
    /// (shuttle, room-occupancy), accuracy elsewhere.
    /// </summary>
    public static bool HeadlineIsBalanced(string id) =>
        id.StartsWith("shuttle", StringComparison.OrdinalIgnoreCase) || id.StartsWith("room-occupancy", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the benchmark's data is present, else a message saying what is missing and where to get it.</summary>
    public static string Missing(string id, string datasetsFolder)
    {
        Source s = For(id);
        if (s == null) return null;
        string path = Path.Combine(datasetsFolder, s.File);
        if (File.Exists(path)) return null;
        return $"{path}: not found; benchmark '{id}' needs {s.Dataset}: get it from {s.Where} and put it there (or point --datasets at the folder holding it)";
    }
}
