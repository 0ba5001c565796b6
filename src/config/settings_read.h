/* settings_read.h: what the readers of the settings' sections share
 * (settings.c reads the top level, problem, noise, init, budget and log;
 * settings_method.c the method section).  Private to config/. */
#ifndef NTR_SETTINGS_READ_H
#define NTR_SETTINGS_READ_H

#include "config/settings.h"

/* Copy src into dst (size bytes), or an error at pos naming what when it
 * does not fit. */
int ntr_settings_copy_name(char *dst, size_t size, const char *src, ntr_pos pos, const char *what,
                           ntr_error *err);
/* The view kv of the top-level section name (absent: an empty view); an
 * error when it is not a mapping or, given keys (NULL-terminated), holds
 * another key. */
int ntr_settings_section(const ntr_node *root, const char *name, const char *const *keys,
                         ntr_kv *kv, const char *base_dir, ntr_error *err);
/* The method section: method, norm, lmo, eta and the method's options. */
int ntr_settings_read_method(const ntr_node *root, ntr_settings *s, ntr_error *err);

#endif
