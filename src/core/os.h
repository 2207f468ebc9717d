/*
 * OS services: everything the portable core needs from the system it runs in.
 *
 * Each home implements this header once: src/host (host tests against the
 * hypervisor model in src/sim), src/guest (the PVH test kernel on real Xen)
 * and src/windows (the drivers). The core includes nothing else of the OS.
 *
 * "Thread context" below means a context that may block (PASSIVE_LEVEL on
 * Windows). "Any context" includes interrupt handlers (DIRQL on Windows).
 */
#ifndef XB_OS_H
#define XB_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- memory ---------------------------------------------------------- */

/* Zeroed, non-paged memory. NULL on failure. Any context up to a spin lock
 * holder (DISPATCH_LEVEL). Free with os_free (NULL is ignored). */
void *os_alloc(size_t size);
void os_free(void *ptr);

/* One zeroed, page-aligned 4 KiB page that stays resident. *pfn receives its
 * guest-physical frame number (what Xen calls a GFN). NULL on failure.
 * Free with os_page_free. Same contexts as os_alloc. */
void *os_page_alloc(uint64_t *pfn);
void os_page_free(void *va);

/* ---- locks ----------------------------------------------------------- */

/* A spin lock that also keeps the event-channel upcall from interrupting the
 * holder on its CPU (Windows: KSPIN_LOCK raised to DISPATCH or the interrupt's
 * level as the implementation chooses; guest: interrupts off). Not recursive.
 * The state returned by lock must be passed to the matching unlock. */
typedef struct os_spinlock {
	volatile uintptr_t word;
	uintptr_t owner;
} os_spinlock;
typedef uintptr_t os_lock_state;

void os_spin_init(os_spinlock *lock);
os_lock_state os_spin_lock(os_spinlock *lock);
void os_spin_unlock(os_spinlock *lock, os_lock_state state);

/* ---- waiting --------------------------------------------------------- */

/* A one-shot notification: set from any context, waited for in thread
 * context. os_event_wait returns true when set, false on timeout.
 * timeout_ns == UINT64_MAX waits forever. Reset clears it. */
typedef struct os_event {
	volatile uint32_t set;
	uint32_t pad;
	void *impl;
} os_event;

void os_event_init(os_event *ev);
void os_event_set(os_event *ev);
void os_event_reset(os_event *ev);
bool os_event_wait(os_event *ev, uint64_t timeout_ns);

/* ---- deferred work --------------------------------------------------- */

/* Work that runs later in thread context, never inside the caller. Queueing
 * an item that is already queued does nothing and returns false. Any context.
 * The item's memory must stay valid until it has run or been cancelled. */
typedef struct os_work {
	void (*fn)(void *arg);
	void *arg;
	struct os_work *next;
	volatile uint32_t queued;
	uint32_t pad;
} os_work;

void os_work_init(os_work *work, void (*fn)(void *arg), void *arg);
bool os_work_queue(os_work *work);
/* Removes a queued item that has not started. True if it was removed. */
bool os_work_cancel(os_work *work);

/* ---- time ------------------------------------------------------------ */

/* Monotonic nanoseconds since an arbitrary origin. Any context. */
uint64_t os_time_ns(void);
/* Busy-wait (or yield) for at least ns nanoseconds. Any context. */
void os_delay_ns(uint64_t ns);

/* ---- CPUs ------------------------------------------------------------ */

/* Number of CPUs the OS runs on, and the caller's index (0-based, < count).
 * The current index is only stable while preemption is off (a spin lock held
 * or in the upcall). */
unsigned os_cpu_count(void);
unsigned os_cpu_current(void);

/* ---- x86 machine access ---------------------------------------------- */

void os_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
void os_wrmsr(uint32_t msr, uint64_t value);

uint8_t os_inb(uint16_t port);
uint16_t os_inw(uint16_t port);
uint32_t os_inl(uint16_t port);
void os_outb(uint16_t port, uint8_t value);
void os_outw(uint16_t port, uint16_t value);
void os_outl(uint16_t port, uint32_t value);
/* rep outsb: len bytes of buf to port. */
void os_outsb(uint16_t port, const void *buf, size_t len);

/* ---- hypercalls ------------------------------------------------------ */

/* The page Xen fills with hypercall stubs: resident, executable, 4 KiB
 * aligned, owned by the OS layer for the life of the image (Windows: a page
 * in a code section; the test kernel: a page in .text). *pfn receives its
 * frame. Returns NULL if none can be had. */
void *os_hypercall_page(uint64_t *pfn);

/* Call the hypercall page entry at `entry` (page + 32 * op) with up to five
 * arguments; unused ones are 0. Returns Xen's result (negative Xen errno on
 * failure). Any context. */
long os_hypercall(const void *entry, uintptr_t a1, uintptr_t a2, uintptr_t a3,
		  uintptr_t a4, uintptr_t a5);

/* ---- diagnostics ----------------------------------------------------- */

/* Called by the core when an internal invariant is broken. It must not
 * return into the failed path silently: host tests abort, Windows bug
 * checks, the test kernel reports and stops. */
void os_bug(const char *file, int line, const char *what) __attribute__((noreturn));

#endif /* XB_OS_H */
