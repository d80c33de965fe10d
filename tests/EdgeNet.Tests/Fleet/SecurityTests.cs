using System.Security.Cryptography;
using System.Text;

namespace EdgeNet.Tests.Fleet;

/// <summary>
/// SHA-256 and HMAC-SHA-256 of the nanoFramework-compiled EdgeNet.Shared (the device IL, run on CoreCLR):
/// the FIPS 180-4 example messages, the RFC 4231 test cases, and .NET's System.Security.Cryptography on
/// random messages fed in random pieces.
/// </summary>
public class SecurityTests
{
    private static dynamic NewDevice(string type, params object[] args) =>
        Activator.CreateInstance(DeviceBuild.Shared.GetType("EdgeNet.Security." + type, true)!, args)!;

    private static byte[] DeviceSha(byte[] message, int piece = 0)
    {
        dynamic sha = NewDevice("Sha256");
        if (piece <= 0) sha.Update(message, 0, message.Length);
        else for (int at = 0; at < message.Length; at += piece) sha.Update(message, at, Math.Min(piece, message.Length - at));
        var digest = new byte[32];
        sha.Finish(digest, 0);
        return digest;
    }

    private static byte[] DeviceHmac(byte[] key, byte[] message, int piece = 0)
    {
        dynamic mac = NewDevice("HmacSha256", key);
        if (piece <= 0) mac.Update(message, 0, message.Length);
        else for (int at = 0; at < message.Length; at += piece) mac.Update(message, at, Math.Min(piece, message.Length - at));
        var tag = new byte[32];
        mac.Finish(tag, 0);
        return tag;
    }

    [Theory]
    // FIPS 180-4 / NIST CSRC SHA-256 examples (one block, two blocks), the empty message, a million 'a'.
    [InlineData("abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData("", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")]
    public void Sha256_matches_the_FIPS_180_4_examples(string text, int repeat, string expected)
    {
        byte[] message = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(text, repeat)));
        Assert.Equal(expected, Convert.ToHexStringLower(DeviceSha(message)));
        Assert.Equal(expected, Convert.ToHexStringLower(DeviceSha(message, 7)));
    }

    public static TheoryData<string, string, string> Rfc4231 => new()
    {
        { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", Convert.ToHexString("Hi There"u8), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { Convert.ToHexString("Jefe"u8), Convert.ToHexString("what do ya want for nothing?"u8), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { string.Concat(Enumerable.Repeat("aa", 20)), string.Concat(Enumerable.Repeat("dd", 50)), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        { "0102030405060708090a0b0c0d0e0f10111213141516171819", string.Concat(Enumerable.Repeat("cd", 50)), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { string.Concat(Enumerable.Repeat("0c", 20)), Convert.ToHexString("Test With Truncation"u8), "a3b6167473100ee06e0c796c2955552b" },
        { string.Concat(Enumerable.Repeat("aa", 131)), Convert.ToHexString("Test Using Larger Than Block-Size Key - Hash Key First"u8), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        { string.Concat(Enumerable.Repeat("aa", 131)), Convert.ToHexString("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."u8), "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
    };

    [Theory]
    [MemberData(nameof(Rfc4231))]
    public void Hmac_matches_the_RFC_4231_test_cases(string keyHex, string dataHex, string expected)
    {
        byte[] key = Convert.FromHexString(keyHex), data = Convert.FromHexString(dataHex);
        // Case 5 gives the first 128 bits only.
        string tag = Convert.ToHexStringLower(DeviceHmac(key, data))[..expected.Length];
        Assert.Equal(expected, tag);
        Assert.Equal(expected, Convert.ToHexStringLower(DeviceHmac(key, data, 3))[..expected.Length]);
    }

    [Fact]
    public void Sha256_and_hmac_agree_with_dotnet_on_random_messages_in_random_pieces()
    {
        var random = new Random(16);
        for (int trial = 0; trial < 300; trial++)
        {
            // Every length around the padding boundaries (55, 56, 63, 64) is among 0..300.
            var message = new byte[trial];
            random.NextBytes(message);
            var key = new byte[random.Next(1, 150)];
            random.NextBytes(key);
            int piece = random.Next(1, 70);
            Assert.Equal(SHA256.HashData(message), DeviceSha(message, piece));
            Assert.Equal(HMACSHA256.HashData(key, message), DeviceHmac(key, message, piece));
        }
    }

    [Fact]
    public void A_device_mac_object_starts_afresh_after_finish()
    {
        byte[] key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        dynamic mac = NewDevice("HmacSha256", key);
        var tag = new byte[32];
        for (int round = 0; round < 3; round++)
        {
            mac.Start();
            mac.Update(Encoding.ASCII.GetBytes("round"), 0, 5);
            mac.Finish(tag, 0);
            Assert.Equal(HMACSHA256.HashData(key, "round"u8.ToArray()), tag);
        }
    }

    [Fact]
    public void The_file_signature_binds_target_and_length()
    {
        var sign = DeviceBuild.Method<Func<byte[], int, byte[], int, byte[]>>("EdgeNet.Shared", "EdgeNet.Security.FileSignature", "Sign");
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] file = RandomNumberGenerator.GetBytes(500);
        byte[] model = sign(key, 0, file, file.Length);
        // Spelled out with .NET: HMAC(key, "EdgeNet-sig-v1" | target | u32 length LE | file).
        byte[] text = [.. "EdgeNet-sig-v1"u8, 0, .. BitConverter.GetBytes((uint)file.Length), .. file];
        Assert.Equal(HMACSHA256.HashData(key, text), model);
        Assert.NotEqual(model, sign(key, 1, file, file.Length));
        Assert.NotEqual(model, sign(key, 0, file, file.Length - 1));
        // The desktop build is the same source: the host's tags are the device's.
        Assert.Equal(model, EdgeNet.Security.FileSignature.Sign(key, 0, file, file.Length));
    }
}
