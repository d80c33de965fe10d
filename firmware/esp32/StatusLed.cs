using System;
using System.Device.Gpio;
using EdgeNet.Firmware.Hal;

namespace EdgeNet.Esp32
{
    /// <summary>The status LED on a GPIO (System.Device.Gpio); no LED when the configuration names no pin.</summary>
    public sealed class StatusLed : ILed, IDisposable
    {
        private readonly GpioController _controller;
        private readonly GpioPin _pin;

        public StatusLed(int gpio)
        {
            if (gpio < 0) return;
            _controller = new GpioController();
            try
            {
                _pin = _controller.OpenPin(gpio, PinMode.Output);
                _pin.Write(PinValue.Low);
            }
            catch (Exception)
            {
                Dispose();
                throw;
            }
        }

        public void Set(bool on)
        {
            if (_pin != null) _pin.Write(on ? PinValue.High : PinValue.Low);
        }

        public void Dispose()
        {
            if (_pin != null) _pin.Dispose();
            if (_controller != null) _controller.Dispose();
        }
    }
}
