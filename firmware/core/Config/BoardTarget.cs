namespace EdgeNet.Firmware.Config
{
    /// <summary>
    /// What a chip's pins can do, as the nanoFramework firmware for it exposes them: which GPIOs exist, which
    /// are input-only or wired to the flash, the GPIO behind every AdcController channel, the UARTs and I2C
    /// buses. <see cref="BoardCheck"/> checks a board configuration against it before any pin is touched.
    /// Built on request (no static tables: nanoFramework runs every static constructor at boot).
    /// Sources: nf-interpreter targets/ESP32/_nanoCLR/System.Device.Adc (logical channels: below
    /// <see cref="Adc1Channels"/> ADC1, from there ADC2) and ESP-IDF components/soc/&lt;chip&gt;/include/soc/adc_channel.h.
    /// </summary>
    public sealed class BoardTarget
    {
        /// <summary>"ESP32" or "ESP32-S3": the value of the configuration's chip line.</summary>
        public string Name;

        /// <summary>GPIO numbers run from 0 to GpioCount - 1, less <see cref="Missing"/>.</summary>
        public int GpioCount;
        public int[] Missing;

        /// <summary>GPIOs the module's SPI flash uses: never assignable.</summary>
        public int[] Flash;

        /// <summary>GPIOs without an output driver (no TX, I2C or LED on them).</summary>
        public int[] InputOnly;

        /// <summary>GPIO of each AdcController channel; -1 for a channel inside the chip (no pin).</summary>
        public int[] AdcGpio;

        /// <summary>Logical channels below this are ADC1 channel n, the rest ADC2 channel n - Adc1Channels.</summary>
        public int Adc1Channels;

        /// <summary>GPIOs that work but have a catch on some modules, with the sentence that says which.</summary>
        public int[] NoteGpio;
        public string[] NoteText;

        /// <summary>The UART nanoFramework's debugger and deployment use: never the host link.</summary>
        public string DebuggerUart = "COM1";

        /// <summary>UARTs the app may use for the host link (each needs its RX and TX pin lines).</summary>
        public string[] Uarts;

        /// <summary>I2C bus numbers (I2cConnectionSettings busId), each needing its DATA and CLOCK pin lines.</summary>
        public int[] I2cBuses;

        /// <summary>The configuration's chip names, the default first.</summary>
        public static string[] Names()
        {
            return new string[] { "ESP32", "ESP32-S3" };
        }

        /// <summary>The table for a chip name (case-insensitive, "esp32s3" too); null for an unknown chip.</summary>
        public static BoardTarget Find(string name)
        {
            string n = Normalize(name);
            if (n == "ESP32") return Esp32();
            if (n == "ESP32-S3" || n == "ESP32S3") return Esp32S3();
            return null;
        }

        /// <summary>ESP32 (WROOM-32 and WROVER modules, nanoff targets ESP32_REV0 / ESP32_PSRAM_REV0 and kin).</summary>
        public static BoardTarget Esp32()
        {
            BoardTarget t = new BoardTarget();
            t.Name = "ESP32";
            t.GpioCount = 40;
            t.Missing = new int[] { 20, 24, 28, 29, 30, 31 };
            t.Flash = new int[] { 6, 7, 8, 9, 10, 11 };
            t.InputOnly = new int[] { 34, 35, 36, 37, 38, 39 };
            // 0-7: ADC1 channels 0-7; 8: internal temperature sensor; 9: Hall sensor (gone in ESP-IDF 5);
            // 10-19: ADC2 channels 0-9.
            t.AdcGpio = new int[] { 36, 37, 38, 39, 32, 33, 34, 35, -1, -1, 4, 0, 2, 15, 13, 12, 14, 27, 25, 26 };
            t.Adc1Channels = 10;
            t.NoteGpio = new int[] { 16, 17, 0, 12 };
            t.NoteText = new string[]
            {
                "GPIO16 is the PSRAM's chip select on WROVER modules (ESP32_PSRAM_* firmware): use it on WROOM modules only",
                "GPIO17 is the PSRAM's clock on WROVER modules (ESP32_PSRAM_* firmware): use it on WROOM modules only",
                "GPIO0 is a strapping pin (held low at reset it enters the bootloader)",
                "GPIO12 is a strapping pin (high at reset selects 1.8 V flash and the module does not boot)",
            };
            t.Uarts = new string[] { "COM2", "COM3" };
            t.I2cBuses = new int[] { 1, 2 };
            return t;
        }

        /// <summary>ESP32-S3 (nanoff targets ESP32_S3, ESP32_S3_ALL).</summary>
        public static BoardTarget Esp32S3()
        {
            BoardTarget t = new BoardTarget();
            t.Name = "ESP32-S3";
            t.GpioCount = 49;
            t.Missing = new int[] { 22, 23, 24, 25 };
            t.Flash = new int[] { 26, 27, 28, 29, 30, 31, 32 };
            t.InputOnly = new int[0];
            // 0-9: ADC1 channels 0-9 on GPIO1-10; 10-19: ADC2 channels 0-9 on GPIO11-20.
            t.AdcGpio = new int[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };
            t.Adc1Channels = 10;
            t.NoteGpio = new int[] { 33, 34, 35, 36, 37, 19, 20, 0, 45, 46 };
            t.NoteText = new string[]
            {
                "GPIO33 belongs to the octal PSRAM on R8/R8V modules",
                "GPIO34 belongs to the octal PSRAM on R8/R8V modules",
                "GPIO35 belongs to the octal PSRAM on R8/R8V modules",
                "GPIO36 belongs to the octal PSRAM on R8/R8V modules",
                "GPIO37 belongs to the octal PSRAM on R8/R8V modules",
                "GPIO19 is USB D- of the native USB port",
                "GPIO20 is USB D+ of the native USB port",
                "GPIO0 is a strapping pin (held low at reset it enters the bootloader)",
                "GPIO45 is a strapping pin (flash voltage)",
                "GPIO46 is a strapping pin (boot mode)",
            };
            t.Uarts = new string[] { "COM2", "COM3" };
            t.I2cBuses = new int[] { 1, 2 };
            return t;
        }

        /// <summary>Why a GPIO cannot be assigned at all (null when it can): absent or wired to the flash.</summary>
        public string Unusable(int gpio)
        {
            if (gpio < 0 || gpio >= GpioCount || Contains(Missing, gpio)) return Name + " has no GPIO" + gpio.ToString();
            if (Contains(Flash, gpio)) return "GPIO" + gpio.ToString() + " is wired to the module's SPI flash";
            return null;
        }

        public bool IsInputOnly(int gpio)
        {
            return Contains(InputOnly, gpio);
        }

        /// <summary>The caveat of a GPIO, or null.</summary>
        public string Note(int gpio)
        {
            for (int i = 0; i < NoteGpio.Length; i++)
            {
                if (NoteGpio[i] == gpio) return NoteText[i];
            }
            return null;
        }

        /// <summary>"ADC1 channel 6, GPIO34" for logical channel 6; null when there is no such channel.</summary>
        public string AdcChannelName(int channel)
        {
            if (channel < 0 || channel >= AdcGpio.Length) return null;
            string unit = channel < Adc1Channels ? "ADC1 channel " + channel.ToString() : "ADC2 channel " + (channel - Adc1Channels).ToString();
            return AdcGpio[channel] < 0 ? unit + " (inside the chip, no pin)" : unit + ", GPIO" + AdcGpio[channel].ToString();
        }

        /// <summary>"0 (GPIO36), 1 (GPIO37), ...": the channels a sensor may name.</summary>
        public string AdcChannelList()
        {
            string s = "";
            for (int c = 0; c < AdcGpio.Length; c++)
            {
                if (AdcGpio[c] < 0) continue;
                s += (s.Length == 0 ? "" : ", ") + c.ToString() + " (GPIO" + AdcGpio[c].ToString() + ")";
            }
            return s;
        }

        private static bool Contains(int[] list, int value)
        {
            for (int i = 0; i < list.Length; i++)
            {
                if (list[i] == value) return true;
            }
            return false;
        }

        private static string Normalize(string name)
        {
            if (name == null) return "";
            char[] c = new char[name.Length];
            for (int i = 0; i < name.Length; i++)
            {
                char ch = name[i];
                c[i] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch == '_' ? '-' : ch;
            }
            return new string(c);
        }
    }
}
