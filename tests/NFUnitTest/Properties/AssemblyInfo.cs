using System.Reflection;

[assembly: AssemblyTitle("NFUnitTest")]
[assembly: AssemblyDescription("EdgeNet golden vectors on the nanoFramework interpreter")]
[assembly: AssemblyProduct("EdgeNet")]
[assembly: AssemblyVersion("1.0.0.0")]
