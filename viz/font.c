/*
 * font.c - DejaVu Sans Mono through fontconfig, and a cache of rendered
 * text: text is rasterised once per (style, colour, string) and then drawn
 * as a texture, so glyphs do not dominate the frame time.
 */
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz.h"

#define CACHE_SLOTS 4096

struct cached {
    char *text;                /* NULL: empty slot */
    uint32_t key;              /* style and colour */
    SDL_Texture *tex;
    int w, h;
};

/* Measured widths: the layout and the drawing measure the same short
 * strings every frame, and shaping them again each time costs more than
 * drawing them. */
#define WIDTH_SLOTS 2048
#define WIDTH_TEXT 40          /* longer strings are measured every time */

struct measured {
    char text[WIDTH_TEXT];     /* "": empty slot */
    int style;
    int w;
};

struct text_cache {
    struct cached slot[CACHE_SLOTS];
    int used;
    SDL_Renderer *renderer;    /* the textures belong to it */
    struct measured widths[WIDTH_SLOTS];
    int nwidths;
};

/* The file of the best match for `pattern` whose family contains "DejaVu". */
static bool find_font(const char *pattern, char *out, size_t size)
{
    if (!FcInit())
        return false;
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat) {
        FcFini();
        return false;
    }
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *match = FcFontMatch(NULL, pat, &res);
    bool ok = false;
    FcChar8 *file = NULL, *family = NULL;
    if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
        FcPatternGetString(match, FC_FAMILY, 0, &family) == FcResultMatch &&
        strstr((const char *)family, "DejaVu Sans Mono")) {
        snprintf(out, size, "%s", (const char *)file);
        ok = true;
    }
    if (match)
        FcPatternDestroy(match);
    FcPatternDestroy(pat);
    FcFini();                  /* fontconfig's caches are not needed after */
    return ok;
}

bool font_open(struct font *f, const char *path, int px, char *msg, size_t msgsize)
{
    char regular[1024], bold[1024];
    memset(f, 0, sizeof *f);
    if (path) {
        snprintf(regular, sizeof regular, "%s", path);
        snprintf(bold, sizeof bold, "%s", path);
    } else if (!find_font("DejaVu Sans Mono", regular, sizeof regular)) {
        snprintf(msg, msgsize, "procsim-viz: the font DejaVu Sans Mono was not found; "
                 "install the Debian package fonts-dejavu-core (or pass --font PATH)");
        return false;
    } else if (!find_font("DejaVu Sans Mono:bold", bold, sizeof bold)) {
        snprintf(bold, sizeof bold, "%s", regular);
    }
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(msg, msgsize, "procsim-viz: SDL_ttf: %s", TTF_GetError());
        return false;
    }
    f->regular = TTF_OpenFont(regular, px);
    f->bold = TTF_OpenFont(bold, px);
    f->small = TTF_OpenFont(regular, px * 5 / 6);
    if (!f->regular || !f->bold || !f->small) {
        snprintf(msg, msgsize, "procsim-viz: cannot open the font %s: %s", regular,
                 TTF_GetError());
        font_close(f);
        return false;
    }
    f->size = px;
    /* A line is never less than the rendered text is tall, so lines of
     * text never overlap. */
    f->line = TTF_FontLineSkip(f->regular);
    if (TTF_FontHeight(f->regular) > f->line)
        f->line = TTF_FontHeight(f->regular);
    if (TTF_FontHeight(f->bold) > f->line)
        f->line = TTF_FontHeight(f->bold);
    f->small_line = TTF_FontLineSkip(f->small);
    if (TTF_FontHeight(f->small) > f->small_line)
        f->small_line = TTF_FontHeight(f->small);
    int tw = 0, th = 0;          /* at some sizes a line renders taller than the skip */
    TTF_SizeUTF8(f->small, "Ag|", &tw, &th);
    if (th > f->small_line)
        f->small_line = th;
    TTF_SizeUTF8(f->bold, "Ag|", &tw, &th);
    if (th > f->line)
        f->line = th;
    TTF_GlyphMetrics(f->small, 'm', NULL, NULL, NULL, NULL, &f->small_advance);
    TTF_GlyphMetrics(f->regular, 'm', NULL, NULL, NULL, NULL, &f->advance);
    f->cache = calloc(1, sizeof *f->cache);
    if (!f->cache) {
        snprintf(msg, msgsize, "procsim-viz: out of memory");
        font_close(f);
        return false;
    }
    return true;
}

void font_flush(struct font *f)
{
    if (!f->cache)
        return;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        struct cached *c = &f->cache->slot[i];
        if (c->text) {
            free(c->text);
            SDL_DestroyTexture(c->tex);
        }
        memset(c, 0, sizeof *c);
    }
    f->cache->used = 0;
}

void font_close(struct font *f)
{
    font_flush(f);
    free(f->cache);
    if (f->regular)
        TTF_CloseFont(f->regular);
    if (f->bold)
        TTF_CloseFont(f->bold);
    if (f->small)
        TTF_CloseFont(f->small);
    memset(f, 0, sizeof *f);
}

static TTF_Font *face(struct font *f, enum font_style st)
{
    return st == FONT_BOLD ? f->bold : st == FONT_SMALL ? f->small : f->regular;
}

static uint32_t hash(const char *s, uint32_t key)
{
    uint32_t h = 2166136261u ^ key;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The cached texture for this text, rendering it on a miss. */
static struct cached *lookup(struct font *f, SDL_Renderer *r, enum font_style st,
                             const char *text, SDL_Color c)
{
    struct text_cache *tc = f->cache;
    if (tc->renderer != r) {
        font_flush(f);
        tc->renderer = r;
    }
    uint32_t key = (uint32_t)st << 24 ^ ((uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b) ^
                   (uint32_t)c.a << 26;
    uint32_t h = hash(text, key);
    for (int probe = 0; probe < CACHE_SLOTS; probe++) {
        struct cached *s = &tc->slot[(h + (uint32_t)probe) % CACHE_SLOTS];
        if (!s->text)
            break;
        if (s->key == key && !strcmp(s->text, text))
            return s;
    }
    if (tc->used > CACHE_SLOTS * 3 / 4)
        font_flush(f);
    SDL_Surface *surf = TTF_RenderUTF8_Blended(face(f, st), text, c);
    if (!surf)
        return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(r, surf);
    int w = surf->w, hgt = surf->h;
    SDL_FreeSurface(surf);
    if (!tex)
        return NULL;
    struct cached *s = NULL;
    for (int probe = 0; probe < CACHE_SLOTS; probe++) {
        s = &tc->slot[(h + (uint32_t)probe) % CACHE_SLOTS];
        if (!s->text)
            break;
    }
    s->text = strdup(text);
    s->key = key;
    s->tex = tex;
    s->w = w;
    s->h = hgt;
    tc->used++;
    return s;
}

int font_draw(struct font *f, SDL_Renderer *r, enum font_style st, const char *text,
              SDL_Color c, int x, int y, int max_w)
{
    if (!text || !*text)
        return 0;
    struct cached *t = lookup(f, r, st, text, c);
    if (!t)
        return 0;
    int w = max_w > 0 && t->w > max_w ? max_w : t->w;
    SDL_Rect src = { 0, 0, w, t->h }, dst = { x, y, w, t->h };
    SDL_RenderCopy(r, t->tex, &src, &dst);
    if (f->log && f->log->n < TEXT_LOG_MAX) {
        struct text_drawn *d = &f->log->e[f->log->n++];
        snprintf(d->text, sizeof d->text, "%s", text);
        d->r = dst;
        d->c = c;
        d->clipped = w < t->w;
    }
    return w;
}

int font_width(struct font *f, enum font_style st, const char *text)
{
    int w = 0, h = 0;
    size_t len = strlen(text);
    if (!f->cache || len == 0 || len >= WIDTH_TEXT) {
        TTF_SizeUTF8(face(f, st), text, &w, &h);
        return w;
    }
    struct text_cache *tc = f->cache;
    uint32_t k = hash(text, (uint32_t)st) % WIDTH_SLOTS;
    for (; tc->widths[k].text[0]; k = (k + 1) % WIDTH_SLOTS)
        if (tc->widths[k].style == (int)st && !strcmp(tc->widths[k].text, text))
            return tc->widths[k].w;
    TTF_SizeUTF8(face(f, st), text, &w, &h);
    if (tc->nwidths > WIDTH_SLOTS * 3 / 4) {
        memset(tc->widths, 0, sizeof tc->widths);
        tc->nwidths = 0;
        k = hash(text, (uint32_t)st) % WIDTH_SLOTS;
    }
    memcpy(tc->widths[k].text, text, len + 1);
    tc->widths[k].style = (int)st;
    tc->widths[k].w = w;
    tc->nwidths++;
    return w;
}
