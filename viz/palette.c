/*
 * palette.c - the window's colours, and the arithmetic that checks them.
 *
 * The state colours (R running, R runnable, S, D, T, Z) are the window's
 * language: a lane, a card, a tree marker in one of them means that state
 * and nothing else. So:
 *
 *  - every state colour is dark enough to stand out, WCAG contrast >= 3:1,
 *    against everything it is drawn on (the panels, the board, the header)
 *    and against the white text written on cards;
 *  - every state colour stays apart from every other state colour and from
 *    every other colour on screen, also as a viewer with deuteranopia or
 *    protanopia sees it (Machado et al. 2009 simulation, CIE L*a*b*
 *    distance);
 *  - the per-process colours of the CPU lanes are pale tints (CIE L* >= 80,
 *    far above every state colour), always drawn with a dark outline and
 *    the pid in dark text, so a process's colour never reads as a state.
 *
 * tests/viz/test_viz.c asserts all of this with the functions below.
 */
#include <math.h>

#include "viz.h"

/* Everything that is not a state. */
const SDL_Color VIZ_INK = { 30, 30, 30, 255 }, VIZ_MUTED = { 100, 100, 100, 255 },
                VIZ_PAPER = { 250, 250, 247, 255 }, VIZ_PANEL = { 255, 255, 255, 255 },
                VIZ_RULE = { 205, 205, 200, 255 }, VIZ_WHITE = { 255, 255, 255, 255 },
                VIZ_ACCENT = { 220, 10, 60, 255 }, VIZ_HILITE = { 255, 240, 170, 255 },
                VIZ_BOARD = { 242, 242, 238, 255 }, VIZ_HEADER = { 238, 238, 232, 255 },
                VIZ_PRINT = { 33, 41, 119, 255 }, VIZ_CARD_EDGE = { 150, 150, 150, 255 },
                VIZ_TIP = { 255, 255, 225, 255 }, VIZ_ALARM = { 255, 228, 232, 255 },
                VIZ_WAIT = { 30, 30, 30, 255 }, VIZ_STATUS = { 33, 41, 119, 255 };

SDL_Color state_colour(char state, bool running)
{
    switch (state) {
    case 'R': return running ? (SDL_Color){ 20, 90, 30, 255 }      /* dark green */
                             : (SDL_Color){ 50, 155, 95, 255 };    /* sea green */
    case 'S': return (SDL_Color){ 66, 135, 190, 255 };             /* steel blue */
    case 'D': return (SDL_Color){ 210, 105, 10, 255 };             /* orange */
    case 'T': return (SDL_Color){ 125, 40, 190, 255 };             /* violet */
    case 'Z': return (SDL_Color){ 66, 66, 86, 255 };               /* slate */
    default:  return VIZ_PAPER;
    }
}

SDL_Color pid_colour(int pid)
{
    /* Pale tints: pink, sky, sand, lilac, mint, peach, ice, lemon. */
    static const SDL_Color pal[] = {
        { 250, 205, 215, 255 }, { 200, 225, 250, 255 }, { 235, 222, 190, 255 },
        { 228, 212, 245, 255 }, { 200, 240, 215, 255 }, { 252, 215, 185, 255 },
        { 210, 240, 245, 255 }, { 245, 240, 180, 255 },
    };
    return pal[(unsigned)pid % (sizeof pal / sizeof pal[0])];
}

int palette_others(SDL_Color *out, int max)
{
    const SDL_Color all[] = { VIZ_INK,  VIZ_MUTED, VIZ_PAPER, VIZ_PANEL,     VIZ_RULE,
                              VIZ_WHITE, VIZ_ACCENT, VIZ_HILITE, VIZ_BOARD, VIZ_HEADER,
                              VIZ_PRINT, VIZ_CARD_EDGE, VIZ_TIP, VIZ_ALARM, VIZ_WAIT,
                              VIZ_STATUS };
    int n = (int)(sizeof all / sizeof all[0]);
    for (int i = 0; i < n && i < max; i++)
        out[i] = all[i];
    return n < max ? n : max;
}

/* ------------------------------------------------------------ arithmetic */

static double linear(Uint8 c)
{
    double x = c / 255.0;
    return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4);
}

static Uint8 encode(double x)
{
    x = x < 0 ? 0 : x > 1 ? 1 : x;
    x = x <= 0.0031308 ? 12.92 * x : 1.055 * pow(x, 1 / 2.4) - 0.055;
    return (Uint8)(x * 255.0 + 0.5);
}

double colour_luminance(SDL_Color c)
{
    return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

double colour_contrast(SDL_Color a, SDL_Color b)
{
    double x = colour_luminance(a), y = colour_luminance(b);
    return x > y ? (x + 0.05) / (y + 0.05) : (y + 0.05) / (x + 0.05);
}

SDL_Color text_on(SDL_Color bg)
{
    return colour_contrast(VIZ_WHITE, bg) >= colour_contrast(VIZ_INK, bg) ? VIZ_WHITE : VIZ_INK;
}

SDL_Color colour_simulate(SDL_Color c, enum cvd kind)
{
    /* Machado, Oliveira, Fernandes (2009), severity 1.0, on linear RGB. */
    static const double m[2][3][3] = {
        { { 0.367322, 0.860646, -0.227968 },       /* deuteranopia */
          { 0.280085, 0.672501, 0.047413 },
          { -0.011820, 0.042940, 0.968881 } },
        { { 0.152286, 1.052583, -0.204868 },       /* protanopia */
          { 0.114503, 0.786281, 0.099216 },
          { -0.003882, -0.048116, 1.051998 } },
    };
    if (kind == CVD_NONE)
        return c;
    const double (*k)[3] = m[kind == CVD_PROTAN];
    double l[3] = { linear(c.r), linear(c.g), linear(c.b) }, o[3];
    for (int i = 0; i < 3; i++)
        o[i] = k[i][0] * l[0] + k[i][1] * l[1] + k[i][2] * l[2];
    return (SDL_Color){ encode(o[0]), encode(o[1]), encode(o[2]), c.a };
}

void colour_lab(SDL_Color c, double lab[3])
{
    double r = linear(c.r), g = linear(c.g), b = linear(c.b);
    double xyz[3] = { (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
                      0.2126 * r + 0.7152 * g + 0.0722 * b,
                      (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883 };
    double f[3];
    for (int i = 0; i < 3; i++)
        f[i] = xyz[i] > 0.008856 ? cbrt(xyz[i]) : 7.787 * xyz[i] + 16.0 / 116.0;
    lab[0] = 116 * f[1] - 16;
    lab[1] = 500 * (f[0] - f[1]);
    lab[2] = 200 * (f[1] - f[2]);
}

double colour_distance(SDL_Color a, SDL_Color b, enum cvd kind)
{
    double x[3], y[3];
    colour_lab(colour_simulate(a, kind), x);
    colour_lab(colour_simulate(b, kind), y);
    return sqrt((x[0] - y[0]) * (x[0] - y[0]) + (x[1] - y[1]) * (x[1] - y[1]) +
                (x[2] - y[2]) * (x[2] - y[2]));
}
