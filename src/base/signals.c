/* signals.c: installing, blocking and querying the stop signals (see
 * signals.h). */
#include "base/signals.h"

#include <string.h>

void ntr_stop_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
}

void ntr_signals_install(void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocking wait ends with EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

void ntr_signals_block(sigset_t *old)
{
    sigset_t stops;
    ntr_stop_signals(&stops);
    sigprocmask(SIG_BLOCK, &stops, old);
}

void ntr_signals_restore(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

int ntr_signal_pending(void)
{
    sigset_t pend;
    if (sigpending(&pend) != 0)
        return 0;
    return sigismember(&pend, SIGINT) == 1 || sigismember(&pend, SIGTERM) == 1 ||
           sigismember(&pend, SIGHUP) == 1;
}
