#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host.h"
#include "status.h"
#include "work_list.h"

static const struct host_machine *host_machine;
static unsigned host_cpus = 1;
static __thread unsigned host_cpu;
static __thread unsigned host_held;

static pthread_mutex_t host_work_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct work_list host_work;

static atomic_uint host_fail_skip;
static atomic_uint host_fail_count;
static atomic_long host_live;

static bool host_virtual_time;
static atomic_ullong host_vtime;

void host_set_machine(const struct host_machine *machine)
{
	host_machine = machine;
}

void host_set_cpu(unsigned cpu)
{
	host_cpu = cpu;
}

void host_set_cpu_count(unsigned count)
{
	host_cpus = count ? count : 1;
}

unsigned host_locks_held(void)
{
	return host_held;
}

/* ---- memory ---- */

static bool host_alloc_should_fail(void)
{
	unsigned skip, count;

	count = atomic_load(&host_fail_count);
	if (count == 0)
		return false;
	skip = atomic_load(&host_fail_skip);
	if (skip > 0) {
		atomic_fetch_sub(&host_fail_skip, 1);
		return false;
	}
	atomic_fetch_sub(&host_fail_count, 1);
	return true;
}

void host_alloc_fail(unsigned skip, unsigned count)
{
	atomic_store(&host_fail_skip, skip);
	atomic_store(&host_fail_count, count);
}

long host_live_allocations(void)
{
	return atomic_load(&host_live);
}

void *os_alloc(size_t size)
{
	void *p;

	if (host_alloc_should_fail())
		return NULL;
	p = calloc(1, size ? size : 1);
	if (p)
		atomic_fetch_add(&host_live, 1);
	return p;
}

void os_free(void *ptr)
{
	if (!ptr)
		return;
	atomic_fetch_sub(&host_live, 1);
	free(ptr);
}

void *os_page_alloc(uint64_t *pfn)
{
	void *p;

	if (host_alloc_should_fail())
		return NULL;
	p = aligned_alloc(4096, 4096);
	if (!p)
		return NULL;
	memset(p, 0, 4096);
	atomic_fetch_add(&host_live, 1);
	/* Host "guest-physical" frames are the virtual addresses: the model
	 * reaches a frame as (void *)(pfn << 12). */
	*pfn = (uint64_t)(uintptr_t)p >> 12;
	return p;
}

void os_page_free(void *va)
{
	os_free(va);
}

/* ---- locks ---- */

void os_spin_init(os_spinlock *lock)
{
	lock->word = 0;
	lock->owner = 0;
}

os_lock_state os_spin_lock(os_spinlock *lock)
{
	uintptr_t self = (uintptr_t)pthread_self();

	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == self &&
	    __atomic_load_n(&lock->word, __ATOMIC_RELAXED))
		os_bug(__FILE__, __LINE__, "spin lock taken recursively");
	while (__atomic_exchange_n(&lock->word, 1, __ATOMIC_ACQUIRE))
		sched_yield();
	__atomic_store_n(&lock->owner, self, __ATOMIC_RELAXED);
	host_held++;
	return 0;
}

void os_spin_unlock(os_spinlock *lock, os_lock_state state)
{
	(void)state;
	if (!__atomic_load_n(&lock->word, __ATOMIC_RELAXED))
		os_bug(__FILE__, __LINE__, "spin lock released while not held");
	host_held--;
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->word, 0, __ATOMIC_RELEASE);
}

/* ---- time ---- */

void host_time_virtual(bool on)
{
	host_virtual_time = on;
}

void host_time_advance(uint64_t ns)
{
	atomic_fetch_add(&host_vtime, ns);
}

uint64_t os_time_ns(void)
{
	struct timespec ts;

	if (host_virtual_time)
		return atomic_load(&host_vtime);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void host_poll(void)
{
	if (host_machine && host_machine->poll)
		host_machine->poll();
}

void os_delay_ns(uint64_t ns)
{
	uint64_t end;

	host_poll();
	if (host_virtual_time) {
		host_time_advance(ns);
		return;
	}
	end = os_time_ns() + ns;
	while (os_time_ns() < end)
		sched_yield();
}

/* ---- events ---- */

void os_event_init(os_event *ev)
{
	__atomic_store_n(&ev->set, 0, __ATOMIC_RELEASE);
	ev->impl = NULL;
}

void os_event_set(os_event *ev)
{
	__atomic_store_n(&ev->set, 1, __ATOMIC_RELEASE);
}

void os_event_reset(os_event *ev)
{
	__atomic_store_n(&ev->set, 0, __ATOMIC_RELEASE);
}

bool os_event_wait(os_event *ev, uint64_t timeout_ns)
{
	uint64_t start = os_time_ns();

	for (;;) {
		if (__atomic_load_n(&ev->set, __ATOMIC_ACQUIRE))
			return true;
		host_poll();
		host_run_work();
		if (__atomic_load_n(&ev->set, __ATOMIC_ACQUIRE))
			return true;
		if (timeout_ns != UINT64_MAX && os_time_ns() - start >= timeout_ns)
			return false;
		if (host_virtual_time)
			host_time_advance(1000);
		else
			sched_yield();
	}
}

/* ---- deferred work ---- */

void os_work_init(os_work *work, void (*fn)(void *arg), void *arg)
{
	work_list_item_init(work, fn, arg);
}

bool os_work_queue(os_work *work)
{
	bool queued;

	pthread_mutex_lock(&host_work_mutex);
	queued = work_list_push(&host_work, work);
	pthread_mutex_unlock(&host_work_mutex);
	return queued;
}

bool os_work_cancel(os_work *work)
{
	bool removed;

	pthread_mutex_lock(&host_work_mutex);
	removed = work_list_remove(&host_work, work);
	pthread_mutex_unlock(&host_work_mutex);
	return removed;
}

unsigned host_pending_work(void)
{
	unsigned n = 0;
	os_work *w;

	pthread_mutex_lock(&host_work_mutex);
	for (w = host_work.head; w; w = w->next)
		n++;
	pthread_mutex_unlock(&host_work_mutex);
	return n;
}

unsigned host_run_work(void)
{
	unsigned ran = 0;
	os_work *w;

	for (;;) {
		pthread_mutex_lock(&host_work_mutex);
		w = work_list_pop(&host_work);
		pthread_mutex_unlock(&host_work_mutex);
		if (!w)
			return ran;
		if (host_held)
			os_bug(__FILE__, __LINE__, "deferred work run with a spin lock held");
		w->fn(w->arg);
		ran++;
	}
}

/* ---- CPUs ---- */

unsigned os_cpu_count(void)
{
	return host_cpus;
}

unsigned os_cpu_current(void)
{
	return host_cpu;
}

/* ---- machine access ---- */

void os_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	regs[0] = regs[1] = regs[2] = regs[3] = 0;
	if (host_machine && host_machine->cpuid)
		host_machine->cpuid(leaf, subleaf, regs);
}

void os_wrmsr(uint32_t msr, uint64_t value)
{
	if (host_machine && host_machine->wrmsr)
		host_machine->wrmsr(msr, value);
}

static uint32_t host_in(uint16_t port, unsigned size)
{
	if (host_machine && host_machine->port_in)
		return host_machine->port_in(port, size);
	return 0xffffffffu >> (32 - 8 * size);
}

static void host_out(uint16_t port, unsigned size, uint32_t value)
{
	if (host_machine && host_machine->port_out)
		host_machine->port_out(port, size, value);
}

uint8_t os_inb(uint16_t port) { return (uint8_t)host_in(port, 1); }
uint16_t os_inw(uint16_t port) { return (uint16_t)host_in(port, 2); }
uint32_t os_inl(uint16_t port) { return host_in(port, 4); }
void os_outb(uint16_t port, uint8_t value) { host_out(port, 1, value); }
void os_outw(uint16_t port, uint16_t value) { host_out(port, 2, value); }
void os_outl(uint16_t port, uint32_t value) { host_out(port, 4, value); }

void os_outsb(uint16_t port, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		host_out(port, 1, p[i]);
}

static void *host_hcall_page;

void *os_hypercall_page(uint64_t *pfn)
{
	if (!host_hcall_page) {
		host_hcall_page = aligned_alloc(4096, 4096);
		if (!host_hcall_page)
			return NULL;
		memset(host_hcall_page, 0, 4096);
	}
	*pfn = (uint64_t)(uintptr_t)host_hcall_page >> 12;
	return host_hcall_page;
}

long os_hypercall(const void *entry, uintptr_t a1, uintptr_t a2, uintptr_t a3,
		  uintptr_t a4, uintptr_t a5)
{
	const uintptr_t args[5] = { a1, a2, a3, a4, a5 };

	if (host_machine && host_machine->hypercall)
		return host_machine->hypercall(entry, args);
	return -XEN_ENOSYS;
}

void os_bug(const char *file, int line, const char *what)
{
	fprintf(stderr, "BUG at %s:%d: %s\n", file, line, what);
	fflush(stderr);
	abort();
}

void host_reset(void)
{
	pthread_mutex_lock(&host_work_mutex);
	work_list_clear(&host_work);
	pthread_mutex_unlock(&host_work_mutex);
	host_machine = NULL;
	host_cpus = 1;
	host_cpu = 0;
	host_alloc_fail(0, 0);
	host_virtual_time = false;
	atomic_store(&host_vtime, 0);
}
