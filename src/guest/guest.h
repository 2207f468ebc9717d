/*
 * The PVH test kernel's own services, beyond src/core/os.h: console output
 * on port 0xE9, boot information, interrupts and the page heap. Single vCPU,
 * one thread: "thread context" is the scenario runner; deferred work runs
 * whenever that thread waits (os_event_wait, guest_run_work).
 */
#ifndef XB_GUEST_H
#define XB_GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_PAGE_SIZE 4096u

/* Vectors: the event-channel upcall and the local APIC timer (wake-ups). */
#define GUEST_UPCALL_VECTOR 0xf3
#define GUEST_TIMER_VECTOR 0xf2
#define GUEST_SPURIOUS_VECTOR 0xff

/* printf-like output to port 0xE9, one Xen console line per '\n'. %s %c %d
 * %i %u %x %lx %llx %ld %lld %lu %llu %p %zu, width and '0' flag. */
void guest_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void guest_vprintf(const char *fmt, va_list ap);
/* The same into buf (always NUL-terminated); returns the length written. */
size_t guest_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
size_t guest_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Boot command line (from hvm_start_info), "" if none. */
const char *guest_cmdline(void);
/* Value of "key=value" in the command line, NULL if absent. Copies into
 * buf (NUL-terminated). */
const char *guest_cmdline_get(const char *key, char *buf, size_t size);

/* Interrupt handler for the event-channel upcall vector; NULL masks it. */
void guest_set_upcall(void (*handler)(void));
/* Count of upcall interrupts taken since boot. */
uint64_t guest_upcall_count(void);
/* Enable/disable interrupts on this vCPU. */
void guest_irq_enable(void);
void guest_irq_disable(void);
/* Call with interrupts disabled (after checking what to wait for): enables
 * them and halts until any interrupt or deadline_ns of os_time_ns (at most
 * 10 ms per call); returns with interrupts enabled. Thread context. */
void guest_halt_until(uint64_t deadline_ns);

/* Run queued deferred work (thread context). Returns how many ran. */
unsigned guest_run_work(void);

/* Pages the heap can still hand out (free list plus untouched region). */
uint64_t guest_free_pages(void);

/* The TSC as this vCPU reads it (Xen may trap and emulate it). */
uint64_t guest_rdtsc(void);
/* Diagnostic line about os_time_ns on port 0xE9. */
void guest_clock_report(void);

/* The core's shared info mapping (NULL before boot maps it). */
struct shared_info *guest_shared_info(void);

/* Stop the domain: SCHEDOP_shutdown with reason (SHUTDOWN_*). */
void guest_shutdown(unsigned reason) __attribute__((noreturn));

/* After SCHEDOP_shutdown(SHUTDOWN_suspend) returned in a new domain:
 * map the shared info again and set the callback vector again. */
void guest_resume(void);
/* Point HVM_PARAM_CALLBACK_IRQ at the upcall vector (a new domain has none). */
void guest_upcall_init(void);

/* Called from entry.S. */
void guest_main(uint32_t start_info_pa);
void guest_interrupt(uint64_t vector, uint64_t error, uint64_t *frame);

/* Internal: heap and time set-up (os_guest.c), scenario runner (main.c). */
void guest_heap_init(uint64_t start, uint64_t end);
void guest_time_init(void);
void guest_lapic_init(void);
int guest_run_scenarios(const char *suite);

#endif /* XB_GUEST_H */
