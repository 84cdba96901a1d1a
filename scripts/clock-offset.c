/*
 * LD_PRELOAD library that moves the wall clock by HAVEN_CLOCK_OFFSET_S seconds, for `npm run test:future`.
 * Debian's libfaketime deadlocks workerd at start: its constructor's failing dlsym() mallocs, workerd's
 * tcmalloc then initialises and calls poll() and clock_gettime(), which re-enter libfaketime's unfinished
 * init, which mallocs again under tcmalloc's init lock. This library has no init and never allocates: it
 * reads the real clocks with raw system calls and adds the offset to the wall-clock ones only (monotonic
 * clocks, timers and timeouts are untouched, so nothing waits longer).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Read once: getenv on every clock read would cost more than the read. */
static long offset_s(void) {
  static long offset = -1;
  static int known = 0;
  if (!known) {
    const char *text = getenv("HAVEN_CLOCK_OFFSET_S");
    offset = text ? strtol(text, NULL, 10) : 0;
    known = 1;
  }
  return offset;
}

static int is_wall_clock(clockid_t clock) {
  return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE || clock == CLOCK_TAI;
}

int clock_gettime(clockid_t clock, struct timespec *ts) {
  long rc = syscall(SYS_clock_gettime, clock, ts);
  if (rc == 0 && is_wall_clock(clock)) ts->tv_sec += offset_s();
  return (int)rc;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
  struct timespec ts;
  (void)tz;
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return -1;
  tv->tv_sec = ts.tv_sec;
  tv->tv_usec = ts.tv_nsec / 1000;
  return 0;
}

time_t time(time_t *out) {
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return (time_t)-1;
  if (out) *out = ts.tv_sec;
  return ts.tv_sec;
}

int timespec_get(struct timespec *ts, int base) {
  if (base != TIME_UTC || clock_gettime(CLOCK_REALTIME, ts) != 0) return 0;
  return base;
}
