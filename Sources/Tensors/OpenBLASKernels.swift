// Choosing OpenBLAS's kernels before the library loads.
//
// OpenBLAS picks its kernel family in a load-time constructor from the CPU id and the
// `OPENBLAS_CORETYPE` variable. Debian's 0.3.21 does not know recent Xeons (Sapphire/Emerald
// Rapids) and falls back to "Prescott" SSE3 kernels, about 5× slower than its AVX-512
// "SkylakeX" kernels on the same CPU (DESIGN.md §5). Setting the variable in `main` is too late,
// so an executable calls `relaunchWithFastKernelsIfNeeded()` first thing: when the CPU has
// AVX-512 and the variable is unset, it sets it and re-executes itself once. A value the user
// set is always respected.
#if canImport(Glibc)
import Glibc
#endif
import Foundation

public enum OpenBLASKernels {
    /// Environment variable OpenBLAS reads at load time.
    public static let variable = "OPENBLAS_CORETYPE"
    /// Set alongside it when Dojo (not the user) chose the value, for `--verbose` reports.
    public static let chosenByDojoMarker = "DOJO_CHOSE_OPENBLAS_CORETYPE"

    /// The AVX-512 subsets OpenBLAS's SkylakeX kernels use.
    static let skylakeXFlags: Set<String> = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]

    /// The kernel family to request for a CPU with these `/proc/cpuinfo` flags, or nil to let
    /// OpenBLAS decide (it detects older CPUs correctly).
    public static func preferredCoreType(cpuFlags: Set<String>) -> String? {
        skylakeXFlags.isSubset(of: cpuFlags) ? "SkylakeX" : nil
    }

    /// Flags of the first processor in `/proc/cpuinfo` (empty where there is no such file).
    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [] }
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }

    /// Re-executes the current program with `OPENBLAS_CORETYPE` set when that gives faster
    /// kernels. Returns normally when nothing needs doing (or if re-execution fails, in which
    /// case the program keeps OpenBLAS's own choice).
    public static func relaunchWithFastKernelsIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard environment[variable] == nil,
              let core = preferredCoreType(cpuFlags: cpuFlags()) else { return }
        setenv(variable, core, 1)
        setenv(chosenByDojoMarker, "1", 1)
        #if os(Linux)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        #endif
        // Only reached if exec failed: undo so the report stays truthful.
        unsetenv(variable)
        unsetenv(chosenByDojoMarker)
    }

    /// One line for `--verbose`: which kernels are in use and who chose them.
    public static func report() -> String {
        let environment = ProcessInfo.processInfo.environment
        let source: String
        if let value = environment[variable] {
            source = environment[chosenByDojoMarker] == "1"
                ? "\(variable)=\(value) set by dojo (CPU has AVX-512)"
                : "\(variable)=\(value) set by the user"
        } else {
            source = "\(variable) unset, OpenBLAS's own detection"
        }
        return "OpenBLAS kernels: \(BLAS.coreName) (\(source)); BLAS threads: \(BLAS.threads); worker threads: \(Parallel.threads)"
    }
}
