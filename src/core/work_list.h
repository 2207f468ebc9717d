/*
 * The FIFO of deferred work items (os_work) that each OS layer keeps for
 * os_work_queue/os_work_cancel. No locking here: the OS layer holds its own
 * lock around every call.
 */
#ifndef XB_WORK_LIST_H
#define XB_WORK_LIST_H

#include <stdbool.h>

#include "os.h"

struct work_list {
	os_work *head;
	os_work *tail;
};

/* An unqueued item running fn(arg): what every os_work_init does. */
void work_list_item_init(os_work *work, void (*fn)(void *arg), void *arg);
/* Append work unless it is already queued; true if appended. Sets queued. */
bool work_list_push(struct work_list *list, os_work *work);
/* Unlink work if it is in the list; true if it was. Clears queued. */
bool work_list_remove(struct work_list *list, os_work *work);
/* Unlink and return the oldest item (queued cleared), or NULL. */
os_work *work_list_pop(struct work_list *list);
/* Unlink every item without running it (queued cleared). */
void work_list_clear(struct work_list *list);

#endif /* XB_WORK_LIST_H */
