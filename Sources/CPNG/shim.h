// libpng's simplified API (png_image_write_to_memory) for PNG frames (Rendering floor).
#include <png.h>
