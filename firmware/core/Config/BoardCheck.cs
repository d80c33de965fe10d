namespace EdgeNet.Firmware.Config
{
    /// <summary>
    /// Checks a parsed board configuration against the chip's pins before the board layer touches any
    /// hardware: every fault nanoFramework would only raise on the board (a TX on an input-only GPIO, the
    /// debugger's UART, a UART or I2C bus without pins, an ADC channel that does not exist, a pin line for a
    /// function that is fixed in silicon) becomes one sentence naming the file, line and GPIO.
    /// </summary>
    public static class BoardCheck
    {
        /// <summary>The pin functions the ESP32 board layer can assign (names of nanoFramework's DeviceFunction).</summary>
        public static string[] PinFunctions()
        {
            return new string[] { "COM2_RX", "COM2_TX", "COM3_RX", "COM3_TX", "I2C1_DATA", "I2C1_CLOCK", "I2C2_DATA", "I2C2_CLOCK" };
        }

        /// <summary>The sensor kinds of the ESP32 board layer.</summary>
        public static string[] SensorKinds()
        {
            return new string[] { "adc", "i2c", "replay" };
        }

        /// <summary>The serial port when the configuration names none.</summary>
        public const string DefaultSerialPort = "COM2";

        /// <summary>
        /// Null when the configuration fits the chip, else the first problem as "file line L: reason".
        /// notes gets the caveats of GPIOs that work on some modules only (empty when none).
        /// </summary>
        public static string Check(BoardConfig c, BoardTarget t, out string notes)
        {
            notes = "";
            string[] functions = PinFunctions();
            for (int i = 0; i < c.PinFunction.Length; i++)
            {
                string problem = PinProblem(c, t, i, functions);
                if (problem != null) return At(c, c.PinLine[i], problem);
                notes = AddNote(notes, t, c.PinNumber[i]);
            }

            if (c.LedPin >= 0)
            {
                string problem = t.Unusable(c.LedPin);
                if (problem == null && t.IsInputOnly(c.LedPin)) problem = "the LED needs an output but GPIO" + c.LedPin.ToString() + " is input-only on " + t.Name;
                int other = PinOf(c, c.LedPin, -1);
                if (problem == null && other >= 0) problem = "LED GPIO" + c.LedPin.ToString() + " is already " + c.PinFunction[other] + " (line " + c.PinLine[other].ToString() + ")";
                if (problem != null) return At(c, c.LedLine, problem);
                notes = AddNote(notes, t, c.LedPin);
            }

            string port = c.SerialPort == null ? DefaultSerialPort : c.SerialPort;
            if (port == t.DebuggerUart)
            {
                return At(c, c.SerialLine, port + " is UART0, which the nanoFramework debugger and deployment use: take COM2 or COM3 with 'pin COMn_RX' and 'pin COMn_TX' lines");
            }
            if (!Contains(t.Uarts, port)) return At(c, c.SerialLine, "unknown serial port '" + port + "' (expected " + Join(t.Uarts) + ")");
            if (FunctionIndex(c, port + "_RX") < 0 || FunctionIndex(c, port + "_TX") < 0)
            {
                return At(c, c.SerialLine, "serial " + port + " needs both 'pin " + port + "_RX <gpio>' and 'pin " + port + "_TX <gpio>' lines (for example 32 and 33, free on WROOM and WROVER modules)");
            }

            for (int s = 0; s < c.Sensors.Length; s++)
            {
                string problem = SensorProblem(c, t, c.Sensors[s]);
                if (problem != null) return At(c, c.Sensors[s].Line, "sensor '" + c.Sensors[s].Name + "': " + problem);
                if (c.Sensors[s].Kind == "adc") notes = AddNote(notes, t, t.AdcGpio[c.Sensors[s].Int("channel", -1)]);
            }
            return null;
        }

        private static string PinProblem(BoardConfig c, BoardTarget t, int i, string[] functions)
        {
            string function = c.PinFunction[i];
            int gpio = c.PinNumber[i];
            if (function.Length > 3 && function.Substring(0, 3) == "ADC")
            {
                return "ADC pins are fixed in the chip, so there is nothing to assign: remove this line and read the channel with 'sensor <name> adc channel=<n>' ("
                    + t.Name + " channels: " + t.AdcChannelList() + ")";
            }
            if (!Contains(functions, function)) return "unknown pin function '" + function + "' (expected " + Join(functions) + ")";
            for (int j = 0; j < i; j++)
            {
                if (c.PinFunction[j] == function) return function + " is assigned twice (also line " + c.PinLine[j].ToString() + ")";
            }
            string unusable = t.Unusable(gpio);
            if (unusable != null) return unusable;
            if (t.IsInputOnly(gpio) && IsOutput(function))
            {
                return function + " drives its pin but GPIO" + gpio.ToString() + " is input-only on " + t.Name + " (GPIOs " + Join(t.InputOnly) + " have no output driver)";
            }
            int other = PinOf(c, gpio, i);
            if (other >= 0 && other < i) return "GPIO" + gpio.ToString() + " is already " + c.PinFunction[other] + " (line " + c.PinLine[other].ToString() + ")";
            return null;
        }

        private static string SensorProblem(BoardConfig c, BoardTarget t, SensorSpec s)
        {
            if (!Contains(SensorKinds(), s.Kind)) return "unknown sensor kind '" + s.Kind + "' (expected " + Join(SensorKinds()) + ")";
            string[] keys;
            if (s.Kind == "adc") keys = new string[] { "channel", "exp" };
            else if (s.Kind == "i2c") keys = new string[] { "bus", "address", "register", "bytes", "shift", "signed", "scale", "exp" };
            else keys = new string[] { "column", "exp" };
            for (int k = 0; k < s.Keys.Length; k++)
            {
                if (!Contains(keys, s.Keys[k])) return "unknown setting '" + s.Keys[k] + "' for kind " + s.Kind + " (expected " + Join(keys) + ")";
                for (int j = 0; j < k; j++)
                {
                    if (s.Keys[j] == s.Keys[k]) return "'" + s.Keys[k] + "' is given twice";
                }
                int ignored;
                if (s.Keys[k] != "exp" && !BoardConfig.TryParseInt(s.Values[k], out ignored)) return s.Keys[k] + " '" + s.Values[k] + "' is not a number";
            }
            if (s.Kind == "adc")
            {
                if (s.Get("channel") == null) return "an adc sensor needs channel=<n> (" + t.Name + " channels: " + t.AdcChannelList() + ")";
                int channel = s.Int("channel", -1);
                if (channel < 0 || channel >= t.AdcGpio.Length || t.AdcGpio[channel] < 0)
                {
                    string which = t.AdcChannelName(channel);
                    return (which == null ? "ADC channel " + channel.ToString() + " does not exist" : which + " cannot be read as a sensor")
                        + " on " + t.Name + " (channels: " + t.AdcChannelList() + ")";
                }
                int gpio = t.AdcGpio[channel];
                int other = PinOf(c, gpio, -1);
                if (other >= 0) return t.AdcChannelName(channel) + " is already " + c.PinFunction[other] + " (line " + c.PinLine[other].ToString() + ")";
                if (gpio == c.LedPin) return t.AdcChannelName(channel) + " is the LED pin";
                return null;
            }
            if (s.Kind == "i2c")
            {
                int bus = s.Int("bus", 1);
                if (!ContainsInt(t.I2cBuses, bus)) return "I2C bus " + bus.ToString() + " does not exist on " + t.Name + " (buses " + Join(t.I2cBuses) + ")";
                string data = "I2C" + bus.ToString() + "_DATA", clock = "I2C" + bus.ToString() + "_CLOCK";
                if (FunctionIndex(c, data) < 0 || FunctionIndex(c, clock) < 0) return "I2C bus " + bus.ToString() + " needs 'pin " + data + " <gpio>' and 'pin " + clock + " <gpio>' lines";
                int address = s.Int("address", 0x48);
                if (address < 0x08 || address > 0x77) return "I2C address " + address.ToString() + " is outside the 7-bit device range 0x08..0x77";
                int register = s.Int("register", 0);
                if (register < 0 || register > 255) return "register " + register.ToString() + " is not a byte (0..255)";
                int bytes = s.Int("bytes", 2);
                if (bytes != 1 && bytes != 2) return "bytes=" + bytes.ToString() + " (a reading is 1 or 2 bytes)";
                int shift = s.Int("shift", 0);
                if (shift < 0 || shift > 15) return "shift=" + shift.ToString() + " is not in 0..15";
                return null;
            }
            int column = s.Int("column", 0);
            if (column < 0) return "column " + column.ToString() + " is negative";
            return null;
        }

        private static bool IsOutput(string function)
        {
            int n = function.Length;
            return (n > 3 && function.Substring(n - 3) == "_TX") || (n > 3 && function.Substring(0, 3) == "I2C");
        }

        // Index of the pin line that assigns gpio, other than line index except; -1 when none.
        private static int PinOf(BoardConfig c, int gpio, int except)
        {
            for (int i = 0; i < c.PinNumber.Length; i++)
            {
                if (i != except && c.PinNumber[i] == gpio) return i;
            }
            return -1;
        }

        private static int FunctionIndex(BoardConfig c, string function)
        {
            for (int i = 0; i < c.PinFunction.Length; i++)
            {
                if (c.PinFunction[i] == function) return i;
            }
            return -1;
        }

        private static string AddNote(string notes, BoardTarget t, int gpio)
        {
            string note = t.Note(gpio);
            if (note == null || notes.IndexOf(note) >= 0) return notes;
            return notes.Length == 0 ? note : notes + "; " + note;
        }

        private static string At(BoardConfig c, int line, string problem)
        {
            return c.FileName + (line > 0 ? " line " + line.ToString() : "") + ": " + problem;
        }

        private static bool Contains(string[] list, string value)
        {
            for (int i = 0; i < list.Length; i++)
            {
                if (list[i] == value) return true;
            }
            return false;
        }

        private static bool ContainsInt(int[] list, int value)
        {
            for (int i = 0; i < list.Length; i++)
            {
                if (list[i] == value) return true;
            }
            return false;
        }

        private static string Join(string[] list)
        {
            string s = "";
            for (int i = 0; i < list.Length; i++) s += (i == 0 ? "" : ", ") + list[i];
            return s;
        }

        private static string Join(int[] list)
        {
            string s = "";
            for (int i = 0; i < list.Length; i++) s += (i == 0 ? "" : ", ") + list[i].ToString();
            return s;
        }
    }
}
