/* signals.h: the signals that stop ntr (SIGINT from Ctrl-C, SIGTERM from
 * kill or a batch scheduler, SIGHUP from a closed terminal), handled the
 * same way everywhere.
 *
 * The front ends install one handler for the three (ntr_signals_install:
 * no SA_RESTART, so that a blocking wait returns EINTR).  Code that must
 * not be cut in the middle (drawing figures: a temporary renamed or
 * removed, gnuplot ended) holds them blocked (ntr_signals_block) and asks
 * whether one is waiting (ntr_signal_pending); the handler then runs when
 * they are unblocked. */
#ifndef NTR_SIGNALS_H
#define NTR_SIGNALS_H

#include <signal.h>

/* SIGINT, SIGTERM and SIGHUP. */
void ntr_stop_signals(sigset_t *set);
/* Install handler for the three. */
void ntr_signals_install(void (*handler)(int));
/* Block the three; *old receives the previous mask for ntr_signals_restore. */
void ntr_signals_block(sigset_t *old);
void ntr_signals_restore(const sigset_t *old);
/* 1 when one of the three is pending (blocked and not yet handled). */
int ntr_signal_pending(void);

#endif
