using System.Device.Gpio;
using EdgeNet.Firmware.Hal;

namespace EdgeNet.Esp32
{
    /// <summary>The status LED on a GPIO (System.Device.Gpio); no LED when the configuration names no pin.</summary>
    public sealed class StatusLed : ILed
    {
        private readonly GpioPin _pin;

        public StatusLed(int gpio)
        {
            if (gpio < 0) return;
            GpioController controller = new GpioController();
            _pin = controller.OpenPin(gpio, PinMode.Output);
            _pin.Write(PinValue.Low);
        }

        public void Set(bool on)
        {
            if (_pin != null) _pin.Write(on ? PinValue.High : PinValue.Low);
        }
    }
}
