namespace EdgeNet.Trainer;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine("edgenet: the trainer is being built (issue 4).");
        return 0;
    }
}
