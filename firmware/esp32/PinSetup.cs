using EdgeNet.Firmware.Config;
using nanoFramework.Hardware.Esp32;

namespace EdgeNet.Esp32
{
    /// <summary>Applies the configuration's "pin FUNCTION GPIO" lines with Configuration.SetPinFunction.</summary>
    public static class PinSetup
    {
        public static void Apply(BoardConfig config)
        {
            for (int i = 0; i < config.PinFunction.Length; i++)
            {
                int function;
                if (Function(config.PinFunction[i], out function))
                {
                    Configuration.SetPinFunction(config.PinNumber[i], (DeviceFunction)function);
                }
                else
                {
                    System.Diagnostics.Debug.WriteLine("EdgeNet: unknown pin function " + config.PinFunction[i] + " (ignored)");
                }
            }
        }

        // The functions a sensor board needs; the names are those of the DeviceFunction enum.
        private static bool Function(string name, out int function)
        {
            switch (name)
            {
                case "COM2_RX": function = (int)DeviceFunction.COM2_RX; return true;
                case "COM2_TX": function = (int)DeviceFunction.COM2_TX; return true;
                case "COM3_RX": function = (int)DeviceFunction.COM3_RX; return true;
                case "COM3_TX": function = (int)DeviceFunction.COM3_TX; return true;
                case "I2C1_DATA": function = (int)DeviceFunction.I2C1_DATA; return true;
                case "I2C1_CLOCK": function = (int)DeviceFunction.I2C1_CLOCK; return true;
                case "I2C2_DATA": function = (int)DeviceFunction.I2C2_DATA; return true;
                case "I2C2_CLOCK": function = (int)DeviceFunction.I2C2_CLOCK; return true;
                case "ADC1_CH0": function = (int)DeviceFunction.ADC1_CH0; return true;
                case "ADC1_CH3": function = (int)DeviceFunction.ADC1_CH3; return true;
                case "ADC1_CH4": function = (int)DeviceFunction.ADC1_CH4; return true;
                case "ADC1_CH5": function = (int)DeviceFunction.ADC1_CH5; return true;
                case "ADC1_CH6": function = (int)DeviceFunction.ADC1_CH6; return true;
                case "ADC1_CH7": function = (int)DeviceFunction.ADC1_CH7; return true;
                default: function = 0; return false;
            }
        }
    }
}
