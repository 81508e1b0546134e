using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Conduit.Accelerators.Cpu;

/// <summary>Which SIMD instruction sets the runtime can use on this CPU (what the JIT will emit, not just what the CPU has).</summary>
internal static class SimdSupport
{
    /// <summary>The supported instruction sets, lower-case, in the order they were introduced (<c>sse4.2 avx avx2 fma ...</c>).</summary>
    public static IReadOnlyList<string> InstructionSets()
    {
        var sets = new List<string>();
        void Add(bool supported, string name)
        {
            if (supported)
            {
                sets.Add(name);
            }
        }

        // x86 / x64
        Add(Sse42.IsSupported, "sse4.2");
        Add(Popcnt.IsSupported, "popcnt");
        Add(Avx.IsSupported, "avx");
        Add(Avx2.IsSupported, "avx2");
        Add(Fma.IsSupported, "fma");
        Add(Bmi2.IsSupported, "bmi2");
        Add(AvxVnni.IsSupported, "avx-vnni");
        Add(Avx512F.IsSupported, "avx512f");
        Add(Avx512BW.IsSupported, "avx512bw");
        Add(Avx512CD.IsSupported, "avx512cd");
        Add(Avx512DQ.IsSupported, "avx512dq");
        Add(Avx512Vbmi.IsSupported, "avx512vbmi");
        Add(Avx10v1.IsSupported, "avx10.1");

        // Arm64
        Add(AdvSimd.IsSupported, "neon");
        Add(Dp.IsSupported, "dotprod");
        Add(Rdm.IsSupported, "rdm");
        Add(Crc32.IsSupported, "crc32");
        Add(System.Runtime.Intrinsics.Arm.Aes.IsSupported, "aes");
        Add(Sha256.IsSupported, "sha256");
        return sets;
    }

    /// <summary>The widths in bits of the hardware-accelerated <c>Vector128/256/512</c> types (<c>128 256</c>).</summary>
    public static IReadOnlyList<string> AcceleratedVectorWidths()
    {
        var widths = new List<string>(3);
        if (Vector128.IsHardwareAccelerated)
        {
            widths.Add("128");
        }
        if (Vector256.IsHardwareAccelerated)
        {
            widths.Add("256");
        }
        if (Vector512.IsHardwareAccelerated)
        {
            widths.Add("512");
        }
        return widths;
    }
}
