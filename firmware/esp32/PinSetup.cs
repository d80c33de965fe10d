using EdgeNet.Firmware.Config;
using nanoFramework.Hardware.Esp32;

namespace EdgeNet.Esp32
{
    /// <summary>
    /// Applies the configuration's "pin FUNCTION GPIO" lines with Configuration.SetPinFunction. BoardCheck has
    /// already accepted them (the names are BoardCheck.PinFunctions; a test keeps this switch in step). ADC
    /// channels are not here: their GPIOs are fixed, and nf-interpreter's ESP32 pin mapping has no ADC case.
    /// </summary>
    public static class PinSetup
    {
        public static void Apply(BoardConfig config)
        {
            for (int i = 0; i < config.PinFunction.Length; i++)
            {
                Configuration.SetPinFunction(config.PinNumber[i], Function(config.PinFunction[i]));
            }
        }

        private static DeviceFunction Function(string name)
        {
            switch (name)
            {
                case "COM2_RX": return DeviceFunction.COM2_RX;
                case "COM2_TX": return DeviceFunction.COM2_TX;
                case "COM3_RX": return DeviceFunction.COM3_RX;
                case "COM3_TX": return DeviceFunction.COM3_TX;
                case "I2C1_DATA": return DeviceFunction.I2C1_DATA;
                case "I2C1_CLOCK": return DeviceFunction.I2C1_CLOCK;
                case "I2C2_DATA": return DeviceFunction.I2C2_DATA;
                case "I2C2_CLOCK": return DeviceFunction.I2C2_CLOCK;
                default: throw new System.ArgumentException("unknown pin function " + name);
            }
        }
    }
}
