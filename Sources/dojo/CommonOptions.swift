// Options every subcommand shares, in one place (`@OptionGroup var common: CommonOptions`).
import ArgumentParser
import Tensors

struct CommonOptions: ParsableArguments {
    @Option(help: "Seed of the run's one random generator (same seed, build and threads ⇒ same results).")
    var seed: UInt64 = 0

    @Option(help: "Worker threads: layers split each batch across them, each calling single-threaded BLAS (faster than threaded BLAS for RL-sized matrices). Same seed and threads ⇒ same results.")
    var threads: Int = 1

    @Flag(name: .shortAndLong, help: "Report setup details (OpenBLAS kernels, threads) on standard error.")
    var verbose = false

    func validate() throws {
        guard (1...256).contains(threads) else {
            throw ValidationError("--threads must be between 1 and 256, got \(threads).")
        }
    }

    /// Applies the options to the process: worker threads (BLAS stays single-threaded), and the
    /// verbose report.
    func apply() {
        Parallel.threads = threads
        BLAS.threads = 1
        if verbose { printError(OpenBLASKernels.report()) }
    }
}
