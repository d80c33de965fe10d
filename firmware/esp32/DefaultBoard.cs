namespace EdgeNet.Esp32
{
    /// <summary>The board configuration compiled in: a copy of board.cfg (keep them the same; a test checks).</summary>
    public static class DefaultBoard
    {
        public const string Text =
            "# EdgeNet board configuration for an ESP32 DevKit (the default compiled into DefaultBoard.cs; a copy at\n" +
            "# I:\\board.cfg on the device's internal flash overrides it). Syntax: docs/serial-protocol.md, \"Board configuration\".\n" +
            "\n" +
            "# The chip (ESP32 or ESP32-S3): which GPIOs exist and which GPIO each ADC channel is.\n" +
            "chip ESP32\n" +
            "\n" +
            "# The host link: a USB-serial adapter on GPIO32 (RX) / GPIO33 (TX), free on WROOM and WROVER modules alike\n" +
            "# (GPIO16/17 are the PSRAM's on WROVER). COM1 (UART0, the USB port) belongs to the nanoFramework debugger.\n" +
            "serial COM2 115200\n" +
            "pin COM2_RX 32\n" +
            "pin COM2_TX 33\n" +
            "# I2C bus 1 for I2C sensors.\n" +
            "pin I2C1_DATA 21\n" +
            "pin I2C1_CLOCK 22\n" +
            "\n" +
            "rate_hz 5\n" +
            "led 2\n" +
            "\n" +
            "# Out of the box: the built-in demo model (satellite, 36 inputs) reads 36 \"replay\" sensors that play the\n" +
            "# compiled-in demo rows, so the board classifies without any wiring. Replace with your sensors, e.g.:\n" +
            "#   sensor light adc channel=6 exp=0             # ADC1 channel 6 = GPIO34 on ESP32 (GPIO7 on ESP32-S3), raw counts\n" +
            "#   sensor temp i2c address=0x48 register=0 bytes=2 shift=4 exp=4 scale=625   # TMP102, degrees C\n" +
            "#   input light light\n" +
            "#   input temp temp\n" +
            "sensor x.1 replay column=0\n" +
            "sensor x.2 replay column=1\n" +
            "sensor x.3 replay column=2\n" +
            "sensor x.4 replay column=3\n" +
            "sensor x.5 replay column=4\n" +
            "sensor x.6 replay column=5\n" +
            "sensor x.7 replay column=6\n" +
            "sensor x.8 replay column=7\n" +
            "sensor x.9 replay column=8\n" +
            "sensor x.10 replay column=9\n" +
            "sensor x.11 replay column=10\n" +
            "sensor x.12 replay column=11\n" +
            "sensor x.13 replay column=12\n" +
            "sensor x.14 replay column=13\n" +
            "sensor x.15 replay column=14\n" +
            "sensor x.16 replay column=15\n" +
            "sensor x.17 replay column=16\n" +
            "sensor x.18 replay column=17\n" +
            "sensor x.19 replay column=18\n" +
            "sensor x.20 replay column=19\n" +
            "sensor x.21 replay column=20\n" +
            "sensor x.22 replay column=21\n" +
            "sensor x.23 replay column=22\n" +
            "sensor x.24 replay column=23\n" +
            "sensor x.25 replay column=24\n" +
            "sensor x.26 replay column=25\n" +
            "sensor x.27 replay column=26\n" +
            "sensor x.28 replay column=27\n" +
            "sensor x.29 replay column=28\n" +
            "sensor x.30 replay column=29\n" +
            "sensor x.31 replay column=30\n" +
            "sensor x.32 replay column=31\n" +
            "sensor x.33 replay column=32\n" +
            "sensor x.34 replay column=33\n" +
            "sensor x.35 replay column=34\n" +
            "sensor x.36 replay column=35\n" +
            "";
    }
}
