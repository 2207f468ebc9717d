/* Test helper: a log sink that keeps what it is given, for assertions. */
#ifndef XB_TEST_LOG_CAPTURE_H
#define XB_TEST_LOG_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct log_capture {
	char text[16384];	/* messages back to back, NUL-terminated */
	size_t len;
	unsigned messages;
	size_t last_len;	/* length of the last message */
	size_t max_len;		/* longest message seen */
	unsigned non_printable;	/* bytes other than printable ASCII and '\n' */
	unsigned overflowed;	/* messages that did not fit in text */
};

/* The sink function: ctx is a struct log_capture. */
void log_capture_write(void *ctx, const char *buf, size_t len);
/* Empty a capture. */
void log_capture_clear(struct log_capture *c);

/* log_init, then one sink with `mask` capturing into log_captured (emptied). */
extern struct log_capture log_captured;
void log_capture_start(uint32_t mask);

#endif /* XB_TEST_LOG_CAPTURE_H */
