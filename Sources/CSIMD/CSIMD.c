// Everything lives in include/CSIMD.h as inline functions; this file gives the target a source.
#include "CSIMD.h"
