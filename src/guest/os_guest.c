/*
 * src/core/os.h for the PVH test kernel: one vCPU, identity-mapped memory,
 * interrupts off as the lock, deferred work run by the waiting thread, time
 * from the vCPU time info in the shared info page, output on port 0xE9.
 */
#include "compiler.h"
#include "guest.h"
#include "hypercall.h"
#include "shared_info.h"
#include "xen_abi.h"

/* ---- memory: a page heap and size classes on top of it ---------------- */

struct free_page {
	struct free_page *next;
};

/* Large blocks (more than one page) keep their page count in a header. */
struct big_block {
	struct big_block *next;
	uint64_t pages;
};

#define SMALL_CLASSES 8 /* 32 .. 4096 - header */
#define ALLOC_HDR 16u
#define ALLOC_MAGIC 0x58425547u

struct alloc_hdr {
	uint32_t magic;
	uint32_t class_or_big; /* < SMALL_CLASSES: class; else big */
	uint64_t pages;
};

static uint64_t heap_next;
static uint64_t heap_end;
static struct free_page *page_free_list;
static uint64_t page_free_count;
static struct free_page *small_free[SMALL_CLASSES];
static struct big_block *big_free;
static os_spinlock heap_lock;

void guest_heap_init(uint64_t start, uint64_t end)
{
	heap_next = (start + GUEST_PAGE_SIZE - 1) & ~(uint64_t)(GUEST_PAGE_SIZE - 1);
	heap_end = end & ~(uint64_t)(GUEST_PAGE_SIZE - 1);
	os_spin_init(&heap_lock);
}

uint64_t guest_free_pages(void)
{
	return page_free_count + (heap_end - heap_next) / GUEST_PAGE_SIZE;
}

static void *heap_take_pages(uint64_t n)
{
	void *p = NULL;

	if (heap_next + n * GUEST_PAGE_SIZE <= heap_end) {
		p = (void *)(uintptr_t)heap_next;
		heap_next += n * GUEST_PAGE_SIZE;
	}
	return p;
}

static void *page_get_locked(void)
{
	struct free_page *fp = page_free_list;

	if (fp) {
		page_free_list = fp->next;
		page_free_count--;
		return fp;
	}
	return heap_take_pages(1);
}

void *os_page_alloc(uint64_t *pfn)
{
	os_lock_state s = os_spin_lock(&heap_lock);
	void *p = page_get_locked();

	os_spin_unlock(&heap_lock, s);
	if (!p)
		return NULL;
	__builtin_memset(p, 0, GUEST_PAGE_SIZE);
	*pfn = (uint64_t)(uintptr_t)p >> 12;
	return p;
}

void os_page_free(void *va)
{
	struct free_page *fp = va;
	os_lock_state s;

	if (!va)
		return;
	BUG_ON((uintptr_t)va & (GUEST_PAGE_SIZE - 1));
	s = os_spin_lock(&heap_lock);
	fp->next = page_free_list;
	page_free_list = fp;
	page_free_count++;
	os_spin_unlock(&heap_lock, s);
}

static unsigned small_class(size_t size)
{
	unsigned c = 0;

	while ((32u << c) < size + ALLOC_HDR)
		c++;
	return c;
}

static void *small_alloc_locked(unsigned c)
{
	size_t bsize = 32u << c;
	struct free_page *b = small_free[c];
	char *page;
	size_t off;

	if (!b) {
		page = page_get_locked();
		if (!page)
			return NULL;
		/* Carve the page into blocks of this class. */
		for (off = 0; off + bsize <= GUEST_PAGE_SIZE; off += bsize) {
			struct free_page *nb = (struct free_page *)(page + off);

			nb->next = small_free[c];
			small_free[c] = nb;
		}
		b = small_free[c];
	}
	small_free[c] = b->next;
	return b;
}

static void *big_alloc_locked(uint64_t pages)
{
	struct big_block **pp;

	for (pp = &big_free; *pp; pp = &(*pp)->next) {
		if ((*pp)->pages == pages) {
			struct big_block *b = *pp;

			*pp = b->next;
			return b;
		}
	}
	return heap_take_pages(pages);
}

void *os_alloc(size_t size)
{
	struct alloc_hdr *h;
	os_lock_state s;
	unsigned c;
	uint64_t pages = 0;
	size_t bytes;

	if (size > (size_t)1 << 30)
		return NULL;
	c = small_class(size);
	s = os_spin_lock(&heap_lock);
	if (c < SMALL_CLASSES) {
		h = small_alloc_locked(c);
		bytes = 32u << c;
	} else {
		pages = (size + ALLOC_HDR + GUEST_PAGE_SIZE - 1) / GUEST_PAGE_SIZE;
		h = big_alloc_locked(pages);
		bytes = pages * GUEST_PAGE_SIZE;
	}
	os_spin_unlock(&heap_lock, s);
	if (!h)
		return NULL;
	__builtin_memset(h, 0, bytes);
	h->magic = ALLOC_MAGIC;
	h->class_or_big = c;
	h->pages = pages;
	return (char *)h + ALLOC_HDR;
}

void os_free(void *ptr)
{
	struct alloc_hdr *h;
	os_lock_state s;

	if (!ptr)
		return;
	h = (struct alloc_hdr *)((char *)ptr - ALLOC_HDR);
	BUG_ON(h->magic != ALLOC_MAGIC);
	h->magic = 0;
	s = os_spin_lock(&heap_lock);
	if (h->class_or_big < SMALL_CLASSES) {
		struct free_page *b = (struct free_page *)h;
		unsigned c = h->class_or_big;

		b->next = small_free[c];
		small_free[c] = b;
	} else {
		struct big_block *b = (struct big_block *)h;

		b->pages = h->pages;
		b->next = big_free;
		big_free = b;
	}
	os_spin_unlock(&heap_lock, s);
}

/* ---- locks: interrupts off, then the word ----------------------------- */

#define RFLAGS_IF 0x200u

static uintptr_t irq_save(void)
{
	uintptr_t flags;

	__asm__ __volatile__("pushf; pop %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static void irq_restore(uintptr_t flags)
{
	if (flags & RFLAGS_IF)
		__asm__ __volatile__("sti" : : : "memory");
}

void guest_irq_enable(void)
{
	__asm__ __volatile__("sti" : : : "memory");
}

void guest_irq_disable(void)
{
	__asm__ __volatile__("cli" : : : "memory");
}

void os_spin_init(os_spinlock *lock)
{
	lock->word = 0;
	lock->owner = 0;
}

os_lock_state os_spin_lock(os_spinlock *lock)
{
	uintptr_t flags = irq_save();

	while (__atomic_exchange_n(&lock->word, 1, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
	lock->owner = 1;
	return flags;
}

void os_spin_unlock(os_spinlock *lock, os_lock_state state)
{
	BUG_ON(!lock->word);
	lock->owner = 0;
	__atomic_store_n(&lock->word, 0, __ATOMIC_RELEASE);
	irq_restore(state);
}

/* ---- deferred work: a FIFO the waiting thread drains ------------------ */

static os_work *work_head;
static os_work *work_tail;
static os_spinlock work_lock;

void os_work_init(os_work *work, void (*fn)(void *arg), void *arg)
{
	work->fn = fn;
	work->arg = arg;
	work->next = NULL;
	work->queued = 0;
}

bool os_work_queue(os_work *work)
{
	os_lock_state s = os_spin_lock(&work_lock);
	bool queued = false;

	if (!work->queued) {
		work->queued = 1;
		work->next = NULL;
		if (work_tail)
			work_tail->next = work;
		else
			work_head = work;
		work_tail = work;
		queued = true;
	}
	os_spin_unlock(&work_lock, s);
	return queued;
}

bool os_work_cancel(os_work *work)
{
	os_lock_state s = os_spin_lock(&work_lock);
	os_work **pp, *prev = NULL;
	bool removed = false;

	for (pp = &work_head; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp == work) {
			*pp = work->next;
			if (work_tail == work)
				work_tail = prev;
			work->queued = 0;
			removed = true;
			break;
		}
	}
	os_spin_unlock(&work_lock, s);
	return removed;
}

unsigned guest_run_work(void)
{
	unsigned ran = 0;

	for (;;) {
		os_lock_state s = os_spin_lock(&work_lock);
		os_work *w = work_head;

		if (w) {
			work_head = w->next;
			if (!work_head)
				work_tail = NULL;
			w->queued = 0;
		}
		os_spin_unlock(&work_lock, s);
		if (!w)
			return ran;
		w->fn(w->arg);
		ran++;
	}
}

/* ---- events ---------------------------------------------------------- */

void os_event_init(os_event *ev)
{
	ev->set = 0;
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
	uint64_t now = os_time_ns();
	uint64_t deadline = timeout_ns == UINT64_MAX || now + timeout_ns < now ?
		UINT64_MAX : now + timeout_ns;

	for (;;) {
		bool set;

		guest_run_work();
		/* Check with interrupts off: a set (or a queued work item) after
		 * this point wakes the halt below instead of being missed. */
		guest_irq_disable();
		set = __atomic_load_n(&ev->set, __ATOMIC_ACQUIRE);
		if (set || work_head || os_time_ns() >= deadline) {
			guest_irq_enable();
			if (set)
				return true;
			if (!work_head)
				return false;
			continue;
		}
		guest_halt_until(deadline);
	}
}

/* ---- time: vCPU 0's time info in the core's shared info mapping -------- */

static uint64_t time_last;

struct shared_info *guest_shared_info(void)
{
	return shared_info_get();
}

void guest_time_init(void)
{
	xen_status rc = shared_info_init();

	if (rc) {
		guest_printf("guest: cannot map the shared info page (%d)\n", rc);
		guest_shutdown(SHUTDOWN_crash);
	}
}

uint64_t guest_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Clamps of os_time_ns (Xen's record stepped back): reported at the end of
 * every suite, so a timing taken across a frozen clock can be told apart. */
static uint64_t clock_reads, clock_clamps, clock_clamp_max;

void guest_clock_report(void)
{
	guest_printf("guest: clock: %lu reads, %lu held back (Xen's time stepped back, at most %lu us)\n",
		     (unsigned long)clock_reads, (unsigned long)clock_clamps,
		     (unsigned long)(clock_clamp_max / 1000));
}

uint64_t os_time_ns(void)
{
	struct shared_info_time t;
	uint64_t last = __atomic_load_n(&time_last, __ATOMIC_RELAXED);

	clock_reads++;
	/* Monotonic even if Xen's snapshot is briefly unreadable or steps. */
	if (shared_info_time(0, guest_rdtsc(), &t) != XEN_OK)
		return last;
	if (t.system_ns < last) {
		clock_clamps++;
		if (last - t.system_ns > clock_clamp_max)
			clock_clamp_max = last - t.system_ns;
		return last;
	}
	__atomic_store_n(&time_last, t.system_ns, __ATOMIC_RELAXED);
	return t.system_ns;
}

void os_delay_ns(uint64_t ns)
{
	uint64_t end = os_time_ns() + ns;

	while (os_time_ns() < end)
		__builtin_ia32_pause();
}

/* ---- CPUs ------------------------------------------------------------ */

unsigned os_cpu_count(void)
{
	return 1;
}

unsigned os_cpu_current(void)
{
	return 0;
}

/* ---- machine access -------------------------------------------------- */

void os_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	__asm__ __volatile__("cpuid"
			     : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]), "=d"(regs[3])
			     : "a"(leaf), "c"(subleaf));
}

void os_wrmsr(uint32_t msr, uint64_t value)
{
	__asm__ __volatile__("wrmsr"
			     : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
			     : "memory");
}

uint8_t os_inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

uint16_t os_inw(uint16_t port)
{
	uint16_t v;

	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

uint32_t os_inl(uint16_t port)
{
	uint32_t v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void os_outb(uint16_t port, uint8_t value)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(value), "Nd"(port));
}

void os_outw(uint16_t port, uint16_t value)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(value), "Nd"(port));
}

void os_outl(uint16_t port, uint32_t value)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(value), "Nd"(port));
}

void os_outsb(uint16_t port, const void *buf, size_t len)
{
	__asm__ __volatile__("rep outsb" : "+S"(buf), "+c"(len) : "d"(port) : "memory");
}

/* ---- hypercalls ------------------------------------------------------ */

extern uint8_t guest_hypercall_page[];

void *os_hypercall_page(uint64_t *pfn)
{
	*pfn = (uint64_t)(uintptr_t)guest_hypercall_page >> 12;
	return guest_hypercall_page;
}

/* os_hypercall is in entry.S. */

/* ---- diagnostics ----------------------------------------------------- */

void os_bug(const char *file, int line, const char *what)
{
	guest_irq_disable();
	guest_printf("BUG: %s:%d: %s\n", file, line, what);
	guest_shutdown(SHUTDOWN_crash);
}

void guest_shutdown(unsigned reason)
{
	struct sched_shutdown sd = { .reason = reason };

	for (;;) {
		hypercall_sched_op(SCHEDOP_shutdown, &sd);
		/* If the hypercall page is not up yet, there is nothing else. */
		__asm__ __volatile__("cli; hlt");
	}
}
