// giflib 5 for animated GIF recordings (Rendering floor). Debian's libgif-dev ships no
// pkg-config file, so the module map links -lgif directly.
#include <gif_lib.h>
