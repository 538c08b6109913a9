// Open MPI, loaded at run time (issue 22 §3). Dojo builds and runs without MPI; only
// `--distributed` opens the library (dlopen, RTLD_GLOBAL so Open MPI's plugins see its
// symbols). The calls are declared here rather than through <mpi.h>, so no MPI headers are
// needed to build: handles are pointers and the status struct is Open MPI's (its ABI since
// 1.x; `dojo_mpi_load` checks the library says "Open MPI"). Every function returns 0 on
// success or the MPI error code; on error `dojo_mpi_load` writes one sentence into `error`.
#ifndef DOJO_CMPI_H
#define DOJO_CMPI_H

#include <stddef.h>

/// Opens the library (`path`, or libmpi.so.40 then libmpi.so when NULL) and finds every call.
int dojo_mpi_load(const char *path, char *error, int capacity);

/// MPI_Init_thread(SERIALIZED); the caller's rank and the world's size.
int dojo_mpi_init(int *rank, int *size);

/// The library's version line (e.g. "Open MPI v4.1.4, ...").
int dojo_mpi_library_version(char *text, int capacity);

/// A non-blocking send of `count` bytes; `*request` is completed by dojo_mpi_test.
int dojo_mpi_isend(const void *bytes, int count, int destination, int tag, void **request);

/// Whether the send behind `*request` has completed (then the request is freed).
int dojo_mpi_test(void **request, int *done);

/// Whether a message from `source` (-1: any) with `tag` (-1: any) is waiting; its source,
/// tag and byte count when it is.
int dojo_mpi_iprobe(int source, int tag, int *found, int *actual_source, int *actual_tag, int *count);

/// Receives the message just probed (same source and tag) into `bytes` (`count` bytes).
int dojo_mpi_recv(void *bytes, int count, int source, int tag);

int dojo_mpi_finalize(void);

/// Ends every rank of the job with `code`.
void dojo_mpi_abort(int code);

#endif
