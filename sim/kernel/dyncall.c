/*
 * dyncall.c - calls, forks and threads of a function held in a value
 * (issue 14): `call @F ARGS [-> V]`, `fork @F ARGS [daemon] [-> P]`,
 * `thread @F ARGS [daemon] [-> T]`. F gives a V_FUNC (fn(NAME)), ARGS a
 * tuple or list; the number of arguments is checked here, at run time,
 * with CPython 3.11's messages, as the parser checks a static call's.
 */
#include "kernel.h"

#include <stdio.h>

/* A parameter's name: its variable's, without the "f." of a def's. */
static const char *param_name(const struct machine *m, const struct program *pr, int i)
{
    const char *name = m->scn->vars[pr->params[i]].name;
    const char *dot = strrchr(name, '.');
    return dot ? dot + 1 : name;
}

/* "f() missing 2 required positional arguments: 'a' and 'b'" */
static void missing(const struct machine *m, const struct program *pr, int given,
                    char *buf, size_t size)
{
    int need = pr->nparams - pr->ndefaults, k = need - given;
    int n = snprintf(buf, size, "%s() missing %d required positional argument%s: ", pr->name,
                     k, k == 1 ? "" : "s");
    for (int i = given; i < need && n > 0 && (size_t)n < size; i++) {
        const char *join = i == given ? "" : i + 1 < need ? ", "
                         : k == 2 ? " and " : ", and ";
        n += snprintf(buf + n, size - (size_t)n, "%s'%s'", join, param_name(m, pr, i));
    }
}

/* "f() takes 2 positional arguments but 3 were given" */
static void too_many(const struct program *pr, int given, char *buf, size_t size)
{
    int least = pr->nparams - pr->ndefaults;
    if (least < pr->nparams)
        snprintf(buf, size, "%s() takes from %d to %d positional arguments but %d %s given",
                 pr->name, least, pr->nparams, given, given == 1 ? "was" : "were");
    else
        snprintf(buf, size, "%s() takes %d positional argument%s but %d %s given", pr->name,
                 pr->nparams, pr->nparams == 1 ? "" : "s", given,
                 given == 1 ? "was" : "were");
}

bool dyn_target(struct machine *m, struct task *t, const struct insn *in,
                struct insn *d, struct value *args)
{
    struct value f, a;
    if (!expr_value(m, t, in->e1, &f) || !expr_value(m, t, in->e2, &a))
        return false;
    char msg[400];
    if (f.type != V_FUNC || f.i < 0 || f.i >= m->scn->nprograms) {
        snprintf(msg, sizeof msg, "'%s' object is not callable", v_type_name(f));
        task_raise_dyn(m, t, in->pos, EXC_TYPE, msg);
        return false;
    }
    const struct program *pr = &m->scn->programs[f.i];
    uint32_t n = 0;
    const struct value *items = NULL;
    if (a.type == V_TUPLE || a.type == V_LIST) {
        items = v_items(&m->heap, a, &n);
    } else if (a.type != V_NONE) {
        snprintf(msg, sizeof msg, "%s() argument after * must be an iterable, not %s",
                 pr->name, v_type_name(a));
        task_raise_dyn(m, t, in->pos, EXC_TYPE, msg);
        return false;
    }
    if (n > (uint32_t)pr->nparams) {
        too_many(pr, (int)n, msg, sizeof msg);
        task_raise_dyn(m, t, in->pos, EXC_TYPE, msg);
        return false;
    }
    if ((int)n < pr->nparams - pr->ndefaults) {
        missing(m, pr, (int)n, msg, sizeof msg);
        task_raise_dyn(m, t, in->pos, EXC_TYPE, msg);
        return false;
    }
    for (uint32_t i = 0; i < n; i++)
        args[i] = items[i];
    *d = *in;
    d->op = in->method;
    d->prog = (int)f.i;
    d->argc = (int)n;
    return true;
}
