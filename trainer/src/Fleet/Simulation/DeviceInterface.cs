using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Trainer.Fleet.Simulation;

/// <summary>
/// Implements an interface of the nanoFramework-compiled firmware core with a desktop object that has
/// methods of the same names and parameter types, so CoreCLR hardware doubles (and the MQTT adapter) plug
/// into the device IL.
/// </summary>
public class DeviceInterface : DispatchProxy
{
    private object _target;
    private readonly ConcurrentDictionary<MethodInfo, MethodInfo> _map = new();

    public static object Implement(DeviceAssembly device, string interfaceName, object target)
    {
        Type iface = device.Load("EdgeNet.Firmware.Core").GetType(interfaceName, throwOnError: true);
        object proxy = Create(iface, typeof(DeviceInterface));
        ((DeviceInterface)proxy)._target = target;
        return proxy;
    }

    protected override object Invoke(MethodInfo method, object[] args)
    {
        // Same parameter types, else (for parameters of device types the caller cannot name) object ones.
        MethodInfo m = _map.GetOrAdd(method, im => _target.GetType().GetMethod(im.Name, im.GetParameters().Select(p => p.ParameterType).ToArray())
            ?? _target.GetType().GetMethod(im.Name, im.GetParameters().Select(p => p.ParameterType.IsValueType || p.ParameterType.IsByRef ? p.ParameterType : typeof(object)).ToArray())
            ?? throw new MissingMethodException(_target.GetType().Name, im.Name));
        try { return m.Invoke(_target, args); }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
