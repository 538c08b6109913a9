// Entry point. OpenBLAS chooses its kernels while the program loads, before any Swift code
// runs, so the first thing dojo does is re-execute itself with OPENBLAS_CORETYPE set when the
// CPU has AVX-512 and the user has not chosen (see Tensors/OpenBLASKernels.swift).
import Tensors

OpenBLASKernels.relaunchWithFastKernelsIfNeeded()
Dojo.main()
