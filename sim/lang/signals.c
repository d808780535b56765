/* signals.c - signal names and numbers (Linux x86). */
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static const char *const names[NSIG_MAX] = {
    [1] = "SIGHUP",   [2] = "SIGINT",   [3] = "SIGQUIT",  [4] = "SIGILL",
    [5] = "SIGTRAP",  [6] = "SIGABRT",  [7] = "SIGBUS",   [8] = "SIGFPE",
    [9] = "SIGKILL",  [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
    [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM", [16] = "SIGSTKFLT",
    [17] = "SIGCHLD", [18] = "SIGCONT", [19] = "SIGSTOP", [20] = "SIGTSTP",
    [21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG",  [24] = "SIGXCPU",
    [25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
    [29] = "SIGIO",   [30] = "SIGPWR",  [31] = "SIGSYS",
};

const char *signal_name(int sig)
{
    return sig > 0 && sig < NSIG_MAX ? names[sig] : NULL;
}

int signal_from_name(const char *name, size_t len)
{
    if (len > 0 && len < 4 && name[0] >= '0' && name[0] <= '9') {
        int n = 0;
        for (size_t i = 0; i < len; i++) {
            if (name[i] < '0' || name[i] > '9')
                return 0;
            n = n * 10 + (name[i] - '0');
        }
        return n > 0 && n < NSIG_MAX ? n : 0;
    }
    if (len > 3 && !strncmp(name, "SIG", 3)) {
        name += 3;
        len -= 3;
    }
    for (int s = 1; s < NSIG_MAX; s++)
        if (strlen(names[s] + 3) == len && !strncmp(names[s] + 3, name, len))
            return s;
    return 0;
}
