// `dojo info`: what this build runs on — version, OpenBLAS kernels and threads, which products
// Dojo's own kernels take, CPU features.
// The first thing to paste into a bug report about speed.
import ArgumentParser
import Tensors

extension Dojo {
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the build, the OpenBLAS kernels in use and the CPU features they depend on.",
            discussion: """
            Examples:
              dojo info
              OPENBLAS_CORETYPE=Haswell dojo info     # a kernel family you chose yourself
            """)

        @OptionGroup var common: CommonOptions

        func run() throws {
            var quiet = common
            quiet.verbose = false   // the report below already says what --verbose would
            quiet.apply()
            let flags = OpenBLASKernels.cpuFlags()
            let simd = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "amx_tile"].filter(flags.contains)
            emit("dojo \(Dojo.configuration.version)")
            emit(OpenBLASKernels.report())
            emit(BLAS.hasSmallKernels
                 ? "matrix products up to \(BLAS.smallKernelFlops) FLOPs: Dojo's AVX-512 kernels; larger ones: OpenBLAS"
                 : "all products: OpenBLAS (this CPU has no AVX-512 for Dojo's small-matrix kernels)")
            emit("CPU SIMD features: \(simd.isEmpty ? "none reported" : simd.joined(separator: " "))")
            #if DEBUG
            emit("build: debug (use `swift build -c release` for anything timed)")
            #else
            emit("build: release")
            #endif
        }
    }
}
