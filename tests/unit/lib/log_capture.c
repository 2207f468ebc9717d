#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "log_capture.h"

struct log_capture log_captured;

void log_capture_write(void *ctx, const char *buf, size_t len)
{
	struct log_capture *c = ctx;

	c->messages++;
	c->last_len = len;
	if (len > c->max_len)
		c->max_len = len;
	for (size_t i = 0; i < len; i++)
		if ((buf[i] < 0x20 || buf[i] >= 0x7f) && buf[i] != '\n')
			c->non_printable++;
	if (c->len + len >= sizeof(c->text)) {
		c->overflowed++;
		return;
	}
	memcpy(c->text + c->len, buf, len);
	c->len += len;
	c->text[c->len] = '\0';
}

void log_capture_clear(struct log_capture *c)
{
	memset(c, 0, sizeof(*c));
}

void log_capture_start(uint32_t mask)
{
	log_init();
	log_capture_clear(&log_captured);
	if (log_add_sink(log_capture_write, &log_captured, mask, NULL) != XEN_OK)
		abort();
}
