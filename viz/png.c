/* png.c - saving what a renderer shows as a PNG (SDL2_image). */
#include <SDL_image.h>
#include <stdio.h>

#include "viz.h"

bool viz_save_png(SDL_Renderer *r, const char *path, char *msg, size_t msgsize)
{
    int w, h;
    if (SDL_GetRendererOutputSize(r, &w, &h) != 0) {
        snprintf(msg, msgsize, "cannot read the frame: %s", SDL_GetError());
        return false;
    }
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) {
        snprintf(msg, msgsize, "out of memory");
        return false;
    }
    bool ok = SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) == 0 &&
              IMG_SavePNG(s, path) == 0;
    if (!ok)
        snprintf(msg, msgsize, "cannot write %s: %s", path, SDL_GetError());
    SDL_FreeSurface(s);
    return ok;
}
