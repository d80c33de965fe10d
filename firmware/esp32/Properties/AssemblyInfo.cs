using System.Reflection;

[assembly: AssemblyTitle("EdgeNet.Esp32")]
[assembly: AssemblyDescription("EdgeNet firmware for the ESP32: on-device inference, model store, serial model update")]
[assembly: AssemblyVersion("1.0.0.0")]
