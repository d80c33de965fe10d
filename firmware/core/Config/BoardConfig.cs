using System.Collections;
using EdgeNet.Engine;

namespace EdgeNet.Firmware.Config
{
    /// <summary>
    /// The board configuration: sensors, which sensor feeds which model input, sample rate, LED and
    /// limits. A small line-based text file (docs/serial-protocol.md, "Board configuration"), so a user
    /// rewires the board without touching code:
    /// <code>
    /// rate_hz 10
    /// sensor light adc channel=6 exp=3
    /// sensor temp i2c address=0x48 register=0 bytes=2 exp=2
    /// input 0 light          # model input (index or feature name) from sensor
    /// led 2 fault            # LED pin, lit while the predicted class is "fault" (a label may contain spaces)
    /// serial COM2 115200     # the UART the host talks to
    /// pin COM2_RX 32         # pin functions the board layer sets up
    /// </code>
    /// Parse checks the syntax; <see cref="BoardCheck"/> checks the configuration against a chip's pins.
    /// </summary>
    public sealed class BoardConfig
    {
        public int RateHz = 10;
        public SensorSpec[] Sensors = new SensorSpec[0];

        /// <summary>Model input (feature index as text, or feature name) fed by InputSensor[i].</summary>
        public string[] InputFeature = new string[0];
        public string[] InputSensor = new string[0];

        /// <summary>Pin assignments for the board layer ("pin COM2_RX 16"): function names and GPIO numbers.</summary>
        public string[] PinFunction = new string[0];
        public int[] PinNumber = new int[0];

        /// <summary>Line of each pin assignment, and of the led and serial settings (0: not set), for error messages.</summary>
        public int[] PinLine = new int[0];
        public int LedLine;
        public int SerialLine;

        /// <summary>The file name Parse was given ("I:\board.cfg", "built-in board.cfg").</summary>
        public string FileName = "board.cfg";

        public int LedPin = -1;

        /// <summary>Label that lights the LED; null: the LED blinks once per classification.</summary>
        public string LedLabel;

        public string SerialPort;
        public int SerialBaud = 115200;

        /// <summary>The chip the board carries ("chip ESP32-S3"): which pin table BoardCheck uses.</summary>
        public string Chip = "ESP32";

        /// <summary>Largest model file the device accepts over serial.</summary>
        public int MaxModelBytes = 65536;

        /// <summary>RAM budget for a model: parameters plus inference arena.</summary>
        public int MaxRamBytes = 98304;

        /// <summary>An update with no frame for this long is abandoned (the old model stays).</summary>
        public int UpdateTimeoutMs = Link.LinkProtocol.TransferIdleMs;

        public int PeriodMs { get { return 1000 / RateHz; } }

        /// <summary>
        /// The fleet key ("fleet key=&lt;hex&gt;"): when set, every model and board configuration must arrive with
        /// its HMAC-SHA-256 signature (docs/fleet.md), over serial and MQTT alike. Never reported anywhere.
        /// </summary>
        public byte[] FleetKey;

        /// <summary>This device's name and group in the fleet's topics ("fleet device=... group=..."); null when not set.</summary>
        public string DeviceId;
        public string Group;

        /// <summary>Wi-Fi network ("wifi ssid=... password=..."); null when the board has no network settings.</summary>
        public string WifiSsid;
        public string WifiPassword;

        /// <summary>MQTT broker ("mqtt broker=... port=... user=... password=... tls=on|off"); MqttBroker null: no MQTT.</summary>
        public string MqttBroker;
        public int MqttPort = 1883;
        public string MqttUser;
        public string MqttPassword;
        public bool MqttTls;
        public int MqttLine;

        public int SensorIndex(string name)
        {
            for (int i = 0; i < Sensors.Length; i++)
            {
                if (Sensors[i].Name == name) return i;
            }
            return -1;
        }

        /// <summary>
        /// For every model feature, the sensor that feeds it. Without input lines feature f comes from the
        /// sensor named like it (the names the model was trained on), never by position: a model for other
        /// sensors is refused with both name lists. Input lines map features to sensors explicitly. Null with
        /// a reason when the configuration cannot feed the model.
        /// </summary>
        public int[] Bind(Model model, out string error)
        {
            error = null;
            int n = model.FeatureCount;
            int[] map = new int[n];
            for (int f = 0; f < n; f++) map[f] = -1;
            if (InputFeature.Length == 0)
            {
                bool all = true;
                for (int f = 0; f < n; f++)
                {
                    map[f] = SensorIndex(model.FeatureNames[f]);
                    if (map[f] < 0) all = false;
                }
                if (all) return map;
                string inputs = "";
                for (int f = 0; f < n; f++) inputs += (f == 0 ? "" : ", ") + model.FeatureNames[f];
                string sensors = "";
                for (int s = 0; s < Sensors.Length; s++) sensors += (s == 0 ? "" : ", ") + Sensors[s].Name;
                error = "model '" + model.Name + "' inputs (" + inputs + ") are not the board's sensors (" + (Sensors.Length == 0 ? "none" : sensors)
                    + "): name each sensor after the input it feeds, or map them with 'input <feature> <sensor>' lines";
                return null;
            }
            for (int i = 0; i < InputFeature.Length; i++)
            {
                int f = FeatureIndex(model, InputFeature[i]);
                if (f < 0) continue; // an input line for another model's feature
                map[f] = SensorIndex(InputSensor[i]);
            }
            for (int f = 0; f < n; f++)
            {
                if (map[f] < 0)
                {
                    error = "model input '" + model.FeatureNames[f] + "' (index " + f.ToString() + ") has no sensor: add 'input " + model.FeatureNames[f] + " <sensor>' to the board configuration";
                    return null;
                }
            }
            return map;
        }

        private static int FeatureIndex(Model model, string feature)
        {
            for (int f = 0; f < model.FeatureCount; f++)
            {
                if (model.FeatureNames[f] == feature) return f;
            }
            int index;
            if (TryParseInt(feature, out index) && index >= 0 && index < model.FeatureCount) return index;
            return -1;
        }

        /// <summary>Parses the configuration text. Null with error "file line L, column C: reason" when it is wrong.</summary>
        public static BoardConfig Parse(string text, string fileName, out string error)
        {
            error = null;
            BoardConfig c = new BoardConfig();
            c.FileName = fileName;
            ArrayList sensors = new ArrayList();
            ArrayList features = new ArrayList();
            ArrayList sources = new ArrayList();
            ArrayList pinFunctions = new ArrayList();
            ArrayList pinNumbers = new ArrayList();
            ArrayList pinLines = new ArrayList();
            string[] tokens = new string[32];
            int[] columns = new int[32];
            int line = 0;
            int pos = 0;
            while (pos <= text.Length)
            {
                int end = pos;
                while (end < text.Length && text[end] != '\n') end++;
                line++;
                int count = Tokenize(text, pos, end, tokens, columns);
                pos = end + 1;
                if (count == 0) continue;
                string where = fileName + " line " + line.ToString() + ", column ";
                if (count < 0) { error = where + columns[0].ToString() + ": more than 32 words"; return null; }
                string key = tokens[0];
                string problem = null;
                int at = 1;
                if (key == "rate_hz")
                {
                    problem = Expect(count, 2, key);
                    if (problem == null && !RangedInt(tokens[1], 1, 1000, out c.RateHz)) problem = "sample rate '" + tokens[1] + "' is not a whole number in 1..1000";
                }
                else if (key == "sensor")
                {
                    if (count < 3) problem = "expected 'sensor <name> <kind> [key=value ...]'";
                    else if (IndexOf(sensors, tokens[1]) >= 0) problem = "sensor '" + tokens[1] + "' is defined twice";
                    else
                    {
                        SensorSpec s = new SensorSpec();
                        s.Name = tokens[1];
                        s.Kind = tokens[2];
                        s.Line = line;
                        s.Keys = new string[count - 3];
                        s.Values = new string[count - 3];
                        for (int i = 3; i < count && problem == null; i++)
                        {
                            int eq = tokens[i].IndexOf('=');
                            if (eq <= 0) { problem = "expected key=value, found '" + tokens[i] + "'"; at = i; break; }
                            s.Keys[i - 3] = tokens[i].Substring(0, eq);
                            s.Values[i - 3] = tokens[i].Substring(eq + 1);
                            if (s.Keys[i - 3] == "exp" && !RangedInt(s.Values[i - 3], -9, 9, out s.Exponent))
                            {
                                problem = "exponent '" + s.Values[i - 3] + "' is not a whole number in -9..9";
                                at = i;
                            }
                        }
                        sensors.Add(s);
                    }
                }
                else if (key == "input")
                {
                    problem = Expect(count, 3, key);
                    if (problem == null)
                    {
                        features.Add(tokens[1]);
                        sources.Add(tokens[2]);
                    }
                }
                else if (key == "led")
                {
                    c.LedLine = line;
                    if (count < 2) problem = "expected 'led <pin> [class label]'";
                    else if (!RangedInt(tokens[1], 0, 255, out c.LedPin)) { problem = "LED pin '" + tokens[1] + "' is not a number in 0..255"; at = 1; }
                    else if (count >= 3)
                    {
                        // A label may contain spaces ("red soil"): the rest of the line, words joined by one space.
                        c.LedLabel = tokens[2];
                        for (int i = 3; i < count; i++) c.LedLabel += " " + tokens[i];
                    }
                }
                else if (key == "serial")
                {
                    c.SerialLine = line;
                    if (count < 2 || count > 3) problem = "expected 'serial <port> [baud]'";
                    else
                    {
                        c.SerialPort = tokens[1];
                        if (count == 3 && !RangedInt(tokens[2], 300, 5000000, out c.SerialBaud)) { problem = "baud rate '" + tokens[2] + "' is not a number in 300..5000000"; at = 2; }
                    }
                }
                else if (key == "chip")
                {
                    problem = Expect(count, 2, key);
                    if (problem == null && BoardTarget.Find(tokens[1]) == null) { problem = "unknown chip '" + tokens[1] + "' (expected ESP32 or ESP32-S3)"; at = 1; }
                    else if (problem == null) c.Chip = BoardTarget.Find(tokens[1]).Name;
                }
                else if (key == "max_model_bytes")
                {
                    problem = Expect(count, 2, key);
                    if (problem == null && !RangedInt(tokens[1], 16, 16777216, out c.MaxModelBytes)) problem = "'" + tokens[1] + "' is not a number in 16..16777216";
                }
                else if (key == "max_ram_bytes")
                {
                    problem = Expect(count, 2, key);
                    if (problem == null && !RangedInt(tokens[1], 64, 16777216, out c.MaxRamBytes)) problem = "'" + tokens[1] + "' is not a number in 64..16777216";
                }
                else if (key == "pin")
                {
                    int gpio = 0;
                    problem = Expect(count, 3, key);
                    if (problem == null && !RangedInt(tokens[2], 0, 255, out gpio)) { problem = "GPIO '" + tokens[2] + "' is not a number in 0..255"; at = 2; }
                    else if (problem == null)
                    {
                        pinFunctions.Add(tokens[1]);
                        pinNumbers.Add(gpio);
                        pinLines.Add(line);
                    }
                }
                else if (key == "update_timeout_ms")
                {
                    problem = Expect(count, 2, key);
                    if (problem == null && !RangedInt(tokens[1], 500, 600000, out c.UpdateTimeoutMs)) problem = "'" + tokens[1] + "' is not a number in 500..600000";
                }
                else if (key == "fleet" || key == "wifi" || key == "mqtt")
                {
                    problem = ParseNetwork(c, key, tokens, count, line, out at);
                }
                else
                {
                    problem = "unknown setting '" + key + "' (expected rate_hz, sensor, input, led, serial, pin, chip, max_model_bytes, max_ram_bytes, update_timeout_ms, fleet, wifi or mqtt)";
                    at = 0;
                }
                if (problem != null)
                {
                    error = where + columns[at < count ? at : 0].ToString() + ": " + problem;
                    return null;
                }
            }
            c.Sensors = new SensorSpec[sensors.Count];
            for (int i = 0; i < sensors.Count; i++) c.Sensors[i] = (SensorSpec)sensors[i];
            c.PinFunction = new string[pinFunctions.Count];
            c.PinNumber = new int[pinFunctions.Count];
            c.PinLine = new int[pinFunctions.Count];
            for (int i = 0; i < pinFunctions.Count; i++)
            {
                c.PinFunction[i] = (string)pinFunctions[i];
                c.PinNumber[i] = (int)pinNumbers[i];
                c.PinLine[i] = (int)pinLines[i];
            }
            c.InputFeature = new string[features.Count];
            c.InputSensor = new string[features.Count];
            for (int i = 0; i < features.Count; i++)
            {
                c.InputFeature[i] = (string)features[i];
                c.InputSensor[i] = (string)sources[i];
                if (c.SensorIndex(c.InputSensor[i]) < 0)
                {
                    error = fileName + ": input '" + c.InputFeature[i] + "' names sensor '" + c.InputSensor[i] + "', which no sensor line defines";
                    return null;
                }
            }
            return c;
        }

        // The key=value words of a fleet, wifi or mqtt line. Messages never quote a key's or password's value.
        private static string ParseNetwork(BoardConfig c, string setting, string[] tokens, int count, int line, out int at)
        {
            at = 0;
            if (count < 2) return "expected '" + setting + " key=value ...'";
            if (setting == "mqtt") c.MqttLine = line;
            for (int i = 1; i < count; i++)
            {
                at = i;
                int eq = tokens[i].IndexOf('=');
                if (eq <= 0 || eq == tokens[i].Length - 1) return "expected key=value (the word is not shown: it may be a secret)";
                string k = tokens[i].Substring(0, eq);
                string v = tokens[i].Substring(eq + 1);
                if (setting == "fleet" && k == "key")
                {
                    c.FleetKey = Security.FileSignature.ParseKey(v);
                    if (c.FleetKey == null) return "fleet key must be " + (2 * Security.FileSignature.MinKeyBytes).ToString() + " to " + (2 * Security.FileSignature.MaxKeyBytes).ToString() + " hex digits (an even count); the value is not shown";
                }
                else if (setting == "fleet" && k == "device")
                {
                    if (!TopicName(v)) return "device name '" + v + "' may use letters, digits, '-' and '_' only (1..64)";
                    c.DeviceId = v;
                }
                else if (setting == "fleet" && k == "group")
                {
                    if (!TopicName(v)) return "group name '" + v + "' may use letters, digits, '-' and '_' only (1..64)";
                    c.Group = v;
                }
                else if (setting == "wifi" && k == "ssid") c.WifiSsid = v;
                else if (setting == "wifi" && k == "password") c.WifiPassword = v;
                else if (setting == "mqtt" && k == "broker") c.MqttBroker = v;
                else if (setting == "mqtt" && k == "port")
                {
                    if (!RangedInt(v, 1, 65535, out c.MqttPort)) return "MQTT port '" + v + "' is not a number in 1..65535";
                }
                else if (setting == "mqtt" && k == "user") c.MqttUser = v;
                else if (setting == "mqtt" && k == "password") c.MqttPassword = v;
                else if (setting == "mqtt" && k == "tls")
                {
                    if (v == "on" || v == "true" || v == "1") c.MqttTls = true;
                    else if (v == "off" || v == "false" || v == "0") c.MqttTls = false;
                    else return "tls '" + v + "' is not on or off";
                }
                else
                {
                    return "unknown key '" + k + "' for " + setting + " (expected " + (setting == "fleet" ? "key, device, group" : setting == "wifi" ? "ssid, password" : "broker, port, user, password, tls") + ")";
                }
            }
            at = 0;
            if (setting == "mqtt" && c.MqttBroker == null) return "an mqtt line needs broker=<host>";
            if (setting == "wifi" && c.WifiSsid == null) return "a wifi line needs ssid=<network>";
            return null;
        }

        // Names that are safe as one MQTT topic level: no '/', '+', '#' or spaces.
        private static bool TopicName(string v)
        {
            if (v.Length < 1 || v.Length > 64) return false;
            for (int i = 0; i < v.Length; i++)
            {
                char ch = v[i];
                bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
                if (!ok) return false;
            }
            return true;
        }

        private static string Expect(int count, int wanted, string key)
        {
            if (count == wanted) return null;
            return "'" + key + "' takes " + (wanted - 1).ToString() + (wanted == 2 ? " value" : " values") + ", found " + (count - 1).ToString();
        }

        private static int IndexOf(ArrayList sensors, string name)
        {
            for (int i = 0; i < sensors.Count; i++)
            {
                if (((SensorSpec)sensors[i]).Name == name) return i;
            }
            return -1;
        }

        // Splits text[start..end) into words (a '#' starts a comment); columns are 1-based. -1 when too many.
        private static int Tokenize(string text, int start, int end, string[] tokens, int[] columns)
        {
            int count = 0;
            int i = start;
            while (i < end)
            {
                char ch = text[i];
                if (ch == '#') break;
                if (ch == ' ' || ch == '\t' || ch == '\r') { i++; continue; }
                int s = i;
                while (i < end && text[i] != ' ' && text[i] != '\t' && text[i] != '\r' && text[i] != '#') i++;
                if (count == tokens.Length) { columns[0] = s - start + 1; return -1; }
                tokens[count] = text.Substring(s, i - s);
                columns[count] = s - start + 1;
                count++;
            }
            return count;
        }

        private static bool RangedInt(string s, int min, int max, out int value)
        {
            return TryParseInt(s, out value) && value >= min && value <= max;
        }

        /// <summary>Decimal with optional sign, or 0x hex; false on anything else or overflow.</summary>
        public static bool TryParseInt(string s, out int value)
        {
            value = 0;
            if (s == null || s.Length == 0) return false;
            int i = 0;
            bool negative = false;
            if (s[0] == '-' || s[0] == '+') { negative = s[0] == '-'; i = 1; }
            int radix = 10;
            if (s.Length > i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) { radix = 16; i += 2; }
            if (i >= s.Length) return false;
            long v = 0;
            for (; i < s.Length; i++)
            {
                char ch = s[i];
                int d;
                if (ch >= '0' && ch <= '9') d = ch - '0';
                else if (radix == 16 && ch >= 'a' && ch <= 'f') d = ch - 'a' + 10;
                else if (radix == 16 && ch >= 'A' && ch <= 'F') d = ch - 'A' + 10;
                else return false;
                v = v * radix + d;
                if (v > 2147483648L) return false;
            }
            if (negative) v = -v;
            if (v > int.MaxValue || v < int.MinValue) return false;
            value = (int)v;
            return true;
        }
    }
}
