// Entry point. OpenBLAS chooses its kernels while the program loads, before any Swift code
// runs, so the first thing dojo does is re-execute itself with OPENBLAS_CORETYPE set when the
// CPU has AVX-512 and the user has not chosen (see Tensors/OpenBLASKernels.swift).
import Foundation
import Tensors

// A child engine that exits while Dojo writes to it must be an error with a message, not a
// SIGPIPE that ends Dojo silently (Output.swift says how a closed standard output ends).
signal(SIGPIPE, SIG_IGN)
OpenBLASKernels.relaunchWithFastKernelsIfNeeded()
Dojo.main()
