/*
 * layer.c - the still part of a frame, kept in a texture while cards glide.
 *
 * After a tick changes, the board's cards glide for 250 ms, about 15
 * frames at 60 Hz, and nothing else on screen moves: the header, the
 * lanes, the columns, the notes, the tree, the events and the inspector
 * are what they were in the first of those frames. So that frame draws
 * them into a texture (the layer) and the next ones copy it and draw only
 * the cards, the arrows over them and the overlays.
 *
 * Only the caller knows that nothing but time has passed since the last
 * frame (no input, no seek, no reload): it says so in v->reuse_layer. A
 * frame drawn while nothing glides goes straight to the screen and drops
 * the layer, so a layer is never older than the frame before.
 */
#include "viz.h"

/* Is a card gliding or fading? (Then the next frames can use a layer.) */
static bool cards_moving(const struct viz *v)
{
    if (!v->animate)
        return false;
    for (int k = 0; k < v->nanims; k++)
        if (viz_anim_progress(v, &v->anims[k]) < 1.0f)
            return true;
    return false;
}

/* A swinging tree edge moves in a panel the layer holds. */
static bool tree_swinging(const struct viz *v)
{
    for (int k = 0; k < v->nswings; k++)
        if (v->animate && v->now - v->swings[k].start < SWING_MS)
            return true;
    return false;
}

void layer_free(struct viz *v)
{
    if (v->layer)
        SDL_DestroyTexture(v->layer);
    v->layer = NULL;
    v->layer_r = NULL;
    v->layer_ok = false;
}

bool layer_begin(struct viz *v, SDL_Renderer *r)
{
    int w, h;
    if (SDL_GetRendererOutputSize(r, &w, &h) != 0)
        return true;
    bool fits = v->layer && v->layer_r == r && v->layer_w == w && v->layer_h == h;
    if (v->reuse_layer && v->layer_ok && fits && !tree_swinging(v)) {
        SDL_RenderCopy(r, v->layer, NULL, NULL);
        return false;
    }
    v->layer_ok = false;
    if (!cards_moving(v) || tree_swinging(v))
        return true;
    if (!fits) {
        layer_free(v);
        v->layer = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
        if (!v->layer)
            return true;                 /* no render targets: draw every frame */
        SDL_SetTextureBlendMode(v->layer, SDL_BLENDMODE_NONE);
        v->layer_r = r;
        v->layer_w = w;
        v->layer_h = h;
    }
    v->layer_drawing = SDL_SetRenderTarget(r, v->layer) == 0;
    return true;
}

void layer_end(struct viz *v, SDL_Renderer *r)
{
    if (!v->layer_drawing)
        return;
    v->layer_drawing = false;
    SDL_SetRenderTarget(r, NULL);
    SDL_RenderCopy(r, v->layer, NULL, NULL);
    v->layer_ok = true;
}
