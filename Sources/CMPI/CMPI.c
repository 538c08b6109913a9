// See CMPI.h: Open MPI's C calls found with dlsym. MPI_COMM_WORLD and MPI_BYTE are, in Open
// MPI, the addresses of the globals ompi_mpi_comm_world and ompi_mpi_byte.
#include "CMPI.h"
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    int source, tag, error, cancelled;
    size_t ucount;
} OpenMPIStatus;

static void *world, *byte_type;
static int (*init_thread)(int *, char ***, int, int *);
static int (*comm_rank)(void *, int *);
static int (*comm_size)(void *, int *);
static int (*isend)(const void *, int, void *, int, int, void *, void **);
static int (*test)(void **, int *, OpenMPIStatus *);
static int (*iprobe)(int, int, void *, int *, OpenMPIStatus *);
static int (*get_count)(const OpenMPIStatus *, void *, int *);
static int (*recv)(void *, int, void *, int, int, void *, OpenMPIStatus *);
static int (*finalize)(void);
static int (*abort_job)(void *, int);
static int (*library_version)(char *, int *);

static int find(void *library, const char *name, void **slot, char *error, int capacity) {
    *slot = dlsym(library, name);
    if (*slot) return 1;
    snprintf(error, capacity, "the MPI library has no %s, so it is not Open MPI (Dojo speaks Open MPI's interface); install openmpi-bin", name);
    return 0;
}

int dojo_mpi_load(const char *path, char *error, int capacity) {
    if (world) return 0;
    const char *names[] = {path, "libmpi.so.40", "libmpi.so"};
    void *library = NULL;
    const char *why = "";
    // A library named by the caller is the only one tried (a test names a missing one).
    for (int i = path ? 0 : 1; i < (path ? 1 : 3) && !library; i++) {
        library = dlopen(names[i], RTLD_NOW | RTLD_GLOBAL);
        if (!library) why = dlerror();
    }
    if (!library) {
        snprintf(error, capacity, "--distributed needs Open MPI's library (libmpi.so.40), which cannot be opened (%s): install it with apt-get install openmpi-bin, then start the job with mpirun", why);
        return 1;
    }
    void *slots[14];
    const char *symbols[] = {"ompi_mpi_comm_world", "ompi_mpi_byte", "MPI_Init_thread", "MPI_Comm_rank", "MPI_Comm_size",
                             "MPI_Isend", "MPI_Test", "MPI_Iprobe", "MPI_Get_count", "MPI_Recv", "MPI_Finalize", "MPI_Abort",
                             "MPI_Get_library_version"};
    for (int i = 0; i < 13; i++)
        if (!find(library, symbols[i], &slots[i], error, capacity)) return 1;
    byte_type = slots[1];
    *(void **)&init_thread = slots[2];
    *(void **)&comm_rank = slots[3];
    *(void **)&comm_size = slots[4];
    *(void **)&isend = slots[5];
    *(void **)&test = slots[6];
    *(void **)&iprobe = slots[7];
    *(void **)&get_count = slots[8];
    *(void **)&recv = slots[9];
    *(void **)&finalize = slots[10];
    *(void **)&abort_job = slots[11];
    *(void **)&library_version = slots[12];
    char version[512] = {0};
    int length = 0;
    if (library_version(version, &length) != 0 || strncmp(version, "Open MPI", 8) != 0) {
        snprintf(error, capacity, "the MPI library is '%.80s', not Open MPI (Dojo speaks Open MPI's interface); install openmpi-bin", version);
        return 1;
    }
    world = slots[0];
    return 0;
}

int dojo_mpi_init(int *rank, int *size) {
    int provided = 0;
    int code = init_thread(NULL, NULL, 2 /* MPI_THREAD_SERIALIZED */, &provided);
    if (code) return code;
    code = comm_rank(world, rank);
    return code ? code : comm_size(world, size);
}

int dojo_mpi_library_version(char *text, int capacity) {
    char version[512] = {0};
    int length = 0;
    int code = library_version(version, &length);
    snprintf(text, capacity, "%s", version);
    return code;
}

int dojo_mpi_isend(const void *bytes, int count, int destination, int tag, void **request) {
    return isend(bytes, count, byte_type, destination, tag, world, request);
}

int dojo_mpi_test(void **request, int *done) {
    OpenMPIStatus status;
    return test(request, done, &status);
}

int dojo_mpi_iprobe(int source, int tag, int *found, int *actual_source, int *actual_tag, int *count) {
    OpenMPIStatus status = {0};
    int code = iprobe(source, tag, world, found, &status);
    if (code || !*found) return code;
    *actual_source = status.source;
    *actual_tag = status.tag;
    return get_count(&status, byte_type, count);
}

int dojo_mpi_recv(void *bytes, int count, int source, int tag) {
    OpenMPIStatus status;
    return recv(bytes, count, byte_type, source, tag, world, &status);
}

int dojo_mpi_finalize(void) { return finalize(); }

void dojo_mpi_abort(int code) {
    if (abort_job) abort_job(world, code);
}
