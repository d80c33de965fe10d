using System;
using EdgeNet.Engine;
using EdgeNet.Firmware.Config;
using EdgeNet.Firmware.Store;
using EdgeNet.Format;

namespace EdgeNet.Firmware.Replay
{
    /// <summary>
    /// Feeds the compiled-in rows through the real firmware (board configuration, built-in model, sensor
    /// pipeline at one sample per row) and prints the label of every classification, one per line.
    /// Other firmware lines are printed behind "# ".
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            string error;
            byte[] file = ReplayData.Model();
            Model model = ModelReader.Read(file, file.Length, int.MaxValue, out error);
            if (model == null)
            {
                Console.WriteLine("# the compiled-in model is invalid: " + error);
                return;
            }
            int features = model.FeatureCount;

            // One replay sensor per model input, in the model's own raw units, at 1000 Hz, mapped by input index
            // (feature names may hold spaces, which a sensor name cannot).
            string config = "rate_hz 1000\n";
            for (int f = 0; f < features; f++)
            {
                config += "sensor s" + f.ToString() + " replay exp=" + model.Input.RawExponent[f].ToString() + "\ninput " + f.ToString() + " s" + f.ToString() + "\n";
            }
            BoardConfig board = BoardConfig.Parse(config, "replay.cfg", out error);
            if (board == null)
            {
                Console.WriteLine("# " + error);
                return;
            }

            StepClock clock = new StepClock();
            RowSensors sensors = new RowSensors(ReplayData.Readings(), features);
            Firmware firmware = new Firmware(board, new MemoryStorage(), new ConsolePort(), sensors, clock, new NoLed(), file);
            firmware.Boot();
            for (int r = 0; r < ReplayData.Rows; r++)
            {
                sensors.Row = r;
                clock.Now = r * (long)board.PeriodMs;
                firmware.Poll();
            }
        }
    }
}
