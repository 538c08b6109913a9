// SDL2 for the optional desktop window (Rendering floor).
#include <SDL.h>
