using System;
using EdgeNet.Firmware.Config;
using EdgeNet.Firmware.Hal;

namespace EdgeNet.Firmware
{
    /// <summary>
    /// From power-on to a firmware ready to boot: reads the board configuration from storage, parses it,
    /// checks it against the chip's pins and sets up the hardware with it. The file lives in the config
    /// partition, so redeploying the app does not replace a bad one: any problem on the way (unreadable
    /// file, syntax error, a pin the chip cannot give, hardware that throws) falls back to the configuration
    /// compiled into the app, and the reason is reported once, as the first line after boot.
    /// </summary>
    public static class Startup
    {
        public const string BuiltinName = "built-in board.cfg";

        /// <summary>
        /// The firmware on the board's hardware, not yet booted. path is how messages name the file
        /// (the storage's own name is <see cref="ConfigFile.Name"/>). Throws only when the built-in
        /// configuration itself is invalid or its hardware setup fails: a fault of the app, not of the board.
        /// </summary>
        public static Firmware Start(IBoard board, IStorage storage, IClock clock, string path, string builtinText, byte[] builtinModel)
        {
            return Start(board, storage, clock, null, path, builtinText, builtinModel);
        }

        /// <param name="memory">The board's free-heap report, which updates are checked against (null: not checked).</param>
        public static Firmware Start(IBoard board, IStorage storage, IClock clock, IMemory memory, string path, string builtinText, byte[] builtinModel)
        {
            string error;
            string notes = "";
            string report = "";
            BoardConfig config = null;
            string text = ConfigFile.Read(storage, ConfigFile.Name, path, out error);
            if (text != null) config = Checked(text, path, out error, out notes);
            if (error != null) report = error + "; using the built-in board configuration";
            bool builtin = config == null;
            if (builtin) config = Builtin(builtinText, out notes);
            try
            {
                board.Open(config);
            }
            catch (Exception e)
            {
                if (builtin) throw;
                report = path + ": setting up the board failed: " + Message(e) + "; using the built-in board configuration";
                try { board.Close(); }
                catch (Exception) { }
                config = Builtin(builtinText, out notes);
                board.Open(config);
            }
            Firmware firmware = new Firmware(config, storage, board.Serial, board.Sensors, clock, board.Led, memory, builtinModel);
            firmware.SetupReport = report;
            firmware.SetupNotes = notes;
            return firmware;
        }

        /// <summary>Parses the text and checks it against its chip; null with the reason when either fails.</summary>
        public static BoardConfig Checked(string text, string path, out string error, out string notes)
        {
            notes = "";
            BoardConfig config = BoardConfig.Parse(text, path, out error);
            if (config == null) return null;
            error = BoardCheck.Check(config, BoardTarget.Find(config.Chip), out notes);
            return error == null ? config : null;
        }

        private static BoardConfig Builtin(string text, out string notes)
        {
            string error;
            BoardConfig config = Checked(text, BuiltinName, out error, out notes);
            if (config == null) throw new ArgumentException(error);
            return config;
        }

        private static string Message(Exception e)
        {
            return e.Message == null || e.Message.Length == 0 ? e.GetType().FullName : e.Message;
        }
    }
}
