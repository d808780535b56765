/* A thread that blocks a signal does not want it (wants_signal in
 * kernel/signal.c): when the main thread blocks SIGUSR1, a signal sent to
 * the process goes to the worker instead. The worker is asleep in a read
 * that only the handler can satisfy: it is woken, runs the handler (which
 * writes what it waits for), and goes back to its read. */
#include <pthread.h>
#include <sys/syscall.h>

#include "real.h"

static int handled[2];
static int ready[2];

static void on_usr1(int sig)
{
    (void)sig;
    say(syscall(SYS_gettid) == getpid() ? "handler runs in the main thread"
                                        : "handler runs in another thread");
    post(handled);
}

static void *worker(void *arg)
{
    (void)arg;
    post(ready);
    await(handled);
    say("worker: the handler has run");
    return NULL;
}

int main(void)
{
    chan(handled);
    chan(ready);
    on(SIGUSR1, on_usr1);
    pthread_t t;
    if (pthread_create(&t, NULL, worker, NULL) != 0)
        die("pthread_create");
    set_block(SIG_BLOCK, SIGUSR1);      /* the worker keeps it unblocked */
    await(ready);
    kill(getpid(), SIGUSR1);
    if (pthread_join(t, NULL) != 0)
        die("pthread_join");
    say("main: joined");
    return 0;
}
