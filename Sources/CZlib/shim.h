// zlib: reading gzipped network files (gzread also reads files that are not compressed).
#include <zlib.h>
