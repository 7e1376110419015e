/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host unit-test reporting: one `PASS name` or `FAIL name: why` line per
 * check on stdout; unit_exit() is non-zero if anything failed.
 */
#ifndef RINGPCM_UNIT_H
#define RINGPCM_UNIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int unit_failures;
static int unit_passes;

/* Report one check; `why` (printf format) is only used on failure. */
static inline __attribute__((format(printf, 3, 4)))
bool unit_check(bool ok, const char *name, const char *why, ...)
{
	va_list ap;

	if (ok) {
		unit_passes++;
		printf("PASS %s\n", name);
		return true;
	}
	unit_failures++;
	printf("FAIL %s: ", name);
	va_start(ap, why);
	vprintf(why, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return false;
}

static inline int unit_exit(const char *suite)
{
	fflush(stdout);
	fprintf(stderr, "%s: %d passed, %d failed\n", suite, unit_passes, unit_failures);
	return unit_failures ? 1 : 0;
}

#endif /* RINGPCM_UNIT_H */
