#include "work_list.h"

void work_list_item_init(os_work *work, void (*fn)(void *arg), void *arg)
{
	work->fn = fn;
	work->arg = arg;
	work->next = NULL;
	work->queued = 0;
}

bool work_list_push(struct work_list *list, os_work *work)
{
	if (work->queued)
		return false;
	work->queued = 1;
	work->next = NULL;
	if (list->tail)
		list->tail->next = work;
	else
		list->head = work;
	list->tail = work;
	return true;
}

bool work_list_remove(struct work_list *list, os_work *work)
{
	os_work **pp, *prev = NULL;

	for (pp = &list->head; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp == work) {
			*pp = work->next;
			if (list->tail == work)
				list->tail = prev;
			work->next = NULL;
			work->queued = 0;
			return true;
		}
	}
	return false;
}

os_work *work_list_pop(struct work_list *list)
{
	os_work *w = list->head;

	if (w) {
		list->head = w->next;
		if (!list->head)
			list->tail = NULL;
		w->next = NULL;
		w->queued = 0;
	}
	return w;
}

void work_list_clear(struct work_list *list)
{
	while (work_list_pop(list))
		;
}
