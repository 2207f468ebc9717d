/*
 * OS services for the Windows kernel: memory, locks, events, deferred work,
 * time and CPUs. Machine access (CPUID, MSRs, ports, hypercalls) is in
 * machine_windows.c.
 *
 * Import discipline: only the long-stable kernel API is imported statically;
 * newer routines are resolved at run time with a fallback, so one image
 * loads on every supported Windows version.
 */
#include "os_windows.h"
#include "work_list.h"

/* Xen's x86 ABI words are the guest's pointer size: on LLP64 Windows x64
 * this needs the headers from tools/xen-headers-llp64. */
_Static_assert(sizeof(xen_ulong_t) == sizeof(void *), "xen_ulong_t is not a guest word");
_Static_assert(sizeof(xen_pfn_t) == sizeof(void *), "xen_pfn_t is not a guest word");

/* ---- run-time routines ------------------------------------------------ */

typedef ULONG (NTAPI *active_count_fn)(USHORT group);
typedef ULONG (NTAPI *current_number_fn)(PPROCESSOR_NUMBER number);

static active_count_fn os_active_count;
static current_number_fn os_current_number;
static POOL_TYPE os_pool_type = NonPagedPool;
static KIRQL os_lock_irql = DISPATCH_LEVEL;

static PVOID os_resolve(PCWSTR name)
{
	UNICODE_STRING u;

	RtlInitUnicodeString(&u, name);
	return MmGetSystemRoutineAddress(&u);
}

/* ---- status ------------------------------------------------------------ */

NTSTATUS os_windows_status(xen_status status)
{
	switch (status) {
	case XEN_OK: return STATUS_SUCCESS;
	case -XEN_EINVAL: return STATUS_INVALID_PARAMETER;
	case -XEN_EACCES:
	case -XEN_EPERM: return STATUS_ACCESS_DENIED;
	case -XEN_EEXIST: return STATUS_OBJECTID_EXISTS;
	case -XEN_EISDIR: return STATUS_FILE_IS_A_DIRECTORY;
	case -XEN_ENOENT: return STATUS_OBJECT_NAME_NOT_FOUND;
	case -XEN_ENOMEM: return STATUS_NO_MEMORY;
	case -XEN_ENOSPC: return STATUS_INSUFFICIENT_RESOURCES;
	case -XEN_EIO: return STATUS_UNEXPECTED_IO_ERROR;
	case -XEN_ENOTEMPTY: return STATUS_DIRECTORY_NOT_EMPTY;
	case -XEN_ENOSYS: return STATUS_NOT_IMPLEMENTED;
	case -XEN_EROFS: return STATUS_MEDIA_WRITE_PROTECTED;
	case -XEN_EBUSY: return STATUS_PIPE_BUSY;
	case -XEN_EAGAIN: return STATUS_RETRY;
	case -XEN_EISCONN: return STATUS_PIPE_CONNECTED;
	case -XEN_ENODEV: return STATUS_NOT_SUPPORTED;
	case -XEN_ETIMEDOUT: return STATUS_IO_TIMEOUT;
	case -XEN_E2BIG: return STATUS_BUFFER_OVERFLOW;
	default: return STATUS_UNSUCCESSFUL;
	}
}

/* ---- memory ------------------------------------------------------------ */

void *os_alloc(size_t size)
{
	void *p = ExAllocatePoolWithTag(os_pool_type, size ? size : 1, OS_WINDOWS_POOL_TAG);

	if (p)
		RtlZeroMemory(p, size ? size : 1);
	return p;
}

void os_free(void *ptr)
{
	if (ptr)
		ExFreePoolWithTag(ptr, OS_WINDOWS_POOL_TAG);
}

void *os_page_alloc(uint64_t *pfn)
{
	PHYSICAL_ADDRESS highest;
	void *va;

	highest.QuadPart = -1;
	va = MmAllocateContiguousMemory(PAGE_SIZE, highest);
	if (!va)
		return NULL;
	RtlZeroMemory(va, PAGE_SIZE);
	*pfn = (uint64_t)MmGetPhysicalAddress(va).QuadPart >> PAGE_SHIFT;
	return va;
}

/* ---- a lock usable at any IRQL (work queue) ------------------------------ */

/* Raises to HIGH_LEVEL so that os_work_queue works from an ISR too; held
 * only for a few list operations. */
typedef struct os_high_lock {
	volatile LONG word;
} os_high_lock;

static KIRQL os_high_acquire(os_high_lock *lock)
{
	KIRQL old;

	KeRaiseIrql(HIGH_LEVEL, &old);
	while (__atomic_exchange_n(&lock->word, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&lock->word, __ATOMIC_RELAXED))
			YieldProcessor();
	return old;
}

static void os_high_release(os_high_lock *lock, KIRQL old)
{
	__atomic_store_n(&lock->word, 0, __ATOMIC_RELEASE);
	KeLowerIrql(old);
}

/* ---- locks --------------------------------------------------------------- */

void os_windows_set_lock_irql(KIRQL irql)
{
	os_lock_irql = irql < DISPATCH_LEVEL ? DISPATCH_LEVEL : irql;
}

void os_spin_init(os_spinlock *lock)
{
	KeInitializeSpinLock((PKSPIN_LOCK)&lock->word);
	lock->owner = 0;
}

os_lock_state os_spin_lock(os_spinlock *lock)
{
	KIRQL old = KeGetCurrentIrql();
	uintptr_t self;

	if (old < os_lock_irql)
		KeRaiseIrql(os_lock_irql, &old);
	/* With the IRQL raised the holder cannot be preempted on its CPU, so
	 * finding our own CPU as the owner means recursion (a sure deadlock). */
	self = (uintptr_t)os_cpu_current() + 1;
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == self)
		os_bug(__FILE__, __LINE__, "spin lock taken recursively");
	KeAcquireSpinLockAtDpcLevel((PKSPIN_LOCK)&lock->word);
	__atomic_store_n(&lock->owner, self, __ATOMIC_RELAXED);
	return old;
}

void os_spin_unlock(os_spinlock *lock, os_lock_state state)
{
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	KeReleaseSpinLockFromDpcLevel((PKSPIN_LOCK)&lock->word);
	if ((KIRQL)state < KeGetCurrentIrql())
		KeLowerIrql((KIRQL)state);
}

/* ---- deferred work: one system thread per image --------------------------- */

static os_high_lock os_work_lock;
static struct work_list os_work_items;
static KEVENT os_work_wake;
static PETHREAD os_work_thread;
static volatile LONG os_work_stop;
static KDPC os_kick_dpc;
static bool os_running;

static void os_signal_waiters(os_event *only);

/* Runs at DISPATCH_LEVEL on behalf of callers above it, which may not call
 * KeSetEvent: wakes the work thread and every waiter whose event is set. */
static VOID NTAPI os_kick(PKDPC dpc, PVOID ctx, PVOID a1, PVOID a2)
{
	(void)dpc; (void)ctx; (void)a1; (void)a2;
	KeSetEvent(&os_work_wake, IO_NO_INCREMENT, FALSE);
	os_signal_waiters(NULL);
}

static void os_work_kick(void)
{
	if (KeGetCurrentIrql() <= DISPATCH_LEVEL)
		KeSetEvent(&os_work_wake, IO_NO_INCREMENT, FALSE);
	else
		KeInsertQueueDpc(&os_kick_dpc, NULL, NULL);
}

void os_work_init(os_work *work, void (*fn)(void *arg), void *arg)
{
	work_list_item_init(work, fn, arg);
}

bool os_work_queue(os_work *work)
{
	KIRQL old = os_high_acquire(&os_work_lock);
	bool queued = work_list_push(&os_work_items, work);

	os_high_release(&os_work_lock, old);
	if (queued)
		os_work_kick();
	return queued;
}

bool os_work_cancel(os_work *work)
{
	KIRQL old = os_high_acquire(&os_work_lock);
	bool removed = work_list_remove(&os_work_items, work);

	os_high_release(&os_work_lock, old);
	return removed;
}

static os_work *os_work_pop(void)
{
	KIRQL old = os_high_acquire(&os_work_lock);
	os_work *w = work_list_pop(&os_work_items);

	os_high_release(&os_work_lock, old);
	return w;
}

static VOID NTAPI os_work_main(PVOID ctx)
{
	os_work *w;

	(void)ctx;
	for (;;) {
		KeWaitForSingleObject(&os_work_wake, Executive, KernelMode, FALSE, NULL);
		while ((w = os_work_pop()) != NULL)
			w->fn(w->arg);
		if (__atomic_load_n(&os_work_stop, __ATOMIC_ACQUIRE))
			break;
	}
	PsTerminateSystemThread(STATUS_SUCCESS);
}

/* Pages freed above PASSIVE_LEVEL go back through the work thread, which
 * reuses the page itself to carry the work item. */
static void os_page_release(void *va)
{
	MmFreeContiguousMemory(va);
}

void os_page_free(void *va)
{
	os_work *w = va;

	if (!va)
		return;
	if (KeGetCurrentIrql() == PASSIVE_LEVEL || !os_running) {
		if (KeGetCurrentIrql() == PASSIVE_LEVEL)
			os_page_release(va);
		/* else: the image is going away above PASSIVE: the page is leaked
		 * rather than freed at an IRQL Mm does not allow. */
		return;
	}
	os_work_init(w, os_page_release, va);
	os_work_queue(w);
}

/* ---- events ------------------------------------------------------------- */

/* A waiter lives on the waiting thread's stack for the length of its wait. */
struct os_waiter {
	KEVENT kev;
	os_event *ev;
	struct os_waiter *next;
};

static KSPIN_LOCK os_waiters_lock;
static struct os_waiter *os_waiters;

/* Signal the waiters of `only`, or (NULL) of every event that is set.
 * IRQL <= DISPATCH_LEVEL. */
static void os_signal_waiters(os_event *only)
{
	struct os_waiter *w;
	KIRQL old;

	KeAcquireSpinLock(&os_waiters_lock, &old);
	for (w = os_waiters; w; w = w->next)
		if (only ? w->ev == only : __atomic_load_n(&w->ev->set, __ATOMIC_ACQUIRE) != 0)
			KeSetEvent(&w->kev, IO_NO_INCREMENT, FALSE);
	KeReleaseSpinLock(&os_waiters_lock, old);
}

void os_event_init(os_event *ev)
{
	__atomic_store_n(&ev->set, 0, __ATOMIC_RELEASE);
	ev->impl = NULL;
}

void os_event_set(os_event *ev)
{
	__atomic_store_n(&ev->set, 1, __ATOMIC_RELEASE);
	if (KeGetCurrentIrql() <= DISPATCH_LEVEL)
		os_signal_waiters(ev);
	else
		KeInsertQueueDpc(&os_kick_dpc, NULL, NULL);
}

void os_event_reset(os_event *ev)
{
	__atomic_store_n(&ev->set, 0, __ATOMIC_RELEASE);
}

static void os_waiter_unlink(struct os_waiter *self)
{
	struct os_waiter **pp;
	KIRQL old;

	KeAcquireSpinLock(&os_waiters_lock, &old);
	for (pp = &os_waiters; *pp; pp = &(*pp)->next) {
		if (*pp == self) {
			*pp = self->next;
			break;
		}
	}
	KeReleaseSpinLock(&os_waiters_lock, old);
}

bool os_event_wait(os_event *ev, uint64_t timeout_ns)
{
	struct os_waiter self;
	LARGE_INTEGER due;
	KIRQL old;
	bool set;

	if (__atomic_load_n(&ev->set, __ATOMIC_ACQUIRE))
		return true;
	if (timeout_ns == 0)
		return false;
	KeInitializeEvent(&self.kev, NotificationEvent, FALSE);
	self.ev = ev;
	KeAcquireSpinLock(&os_waiters_lock, &old);
	/* Checked again under the lock: a set after this point finds us. */
	if (__atomic_load_n(&ev->set, __ATOMIC_ACQUIRE)) {
		KeReleaseSpinLock(&os_waiters_lock, old);
		return true;
	}
	self.next = os_waiters;
	os_waiters = &self;
	KeReleaseSpinLock(&os_waiters_lock, old);

	/* Relative time in 100 ns units, rounded up. */
	if (timeout_ns != UINT64_MAX)
		due.QuadPart = -(LONGLONG)(timeout_ns / 100 + (timeout_ns % 100 != 0));
	KeWaitForSingleObject(&self.kev, Executive, KernelMode, FALSE,
			      timeout_ns == UINT64_MAX ? NULL : &due);
	os_waiter_unlink(&self);
	set = __atomic_load_n(&ev->set, __ATOMIC_ACQUIRE) != 0;
	return set;
}

/* ---- time ------------------------------------------------------------- */

uint64_t os_time_ns(void)
{
	return (uint64_t)KeQueryInterruptTime() * 100u;
}

void os_delay_ns(uint64_t ns)
{
	uint64_t us = ns / 1000 + (ns % 1000 != 0);

	if (KeGetCurrentIrql() == PASSIVE_LEVEL && us >= 1000) {
		LARGE_INTEGER due;

		due.QuadPart = -(LONGLONG)(us * 10);
		KeDelayExecutionThread(KernelMode, FALSE, &due);
		return;
	}
	/* Stall in slices: KeStallExecutionProcessor takes a ULONG. */
	while (us > 0) {
		ULONG slice = us > 1000 ? 1000 : (ULONG)us;

		KeStallExecutionProcessor(slice);
		us -= slice;
	}
}

/* ---- CPUs --------------------------------------------------------------- */

unsigned os_cpu_count(void)
{
	KAFFINITY mask;
	unsigned n = 0;

	if (os_active_count)
		return os_active_count(ALL_PROCESSOR_GROUPS);
	for (mask = KeQueryActiveProcessors(); mask; mask &= mask - 1)
		n++;
	return n;
}

unsigned os_cpu_current(void)
{
	if (os_current_number)
		return os_current_number(NULL);
	return KeGetCurrentProcessorNumber();
}

/* ---- setup ------------------------------------------------------------- */

static void os_choose_pool(void)
{
	RTL_OSVERSIONINFOW v;

	RtlZeroMemory(&v, sizeof(v));
	v.dwOSVersionInfoSize = sizeof(v);
	/* NonPagedPoolNx exists from Windows 8 (6.2) on. */
	if (NT_SUCCESS(RtlGetVersion(&v)) &&
	    (v.dwMajorVersion > 6 || (v.dwMajorVersion == 6 && v.dwMinorVersion >= 2)))
		os_pool_type = NonPagedPoolNx;
	else
		os_pool_type = NonPagedPool;
}

NTSTATUS os_windows_init(void)
{
	OBJECT_ATTRIBUTES attrs;
	HANDLE thread;
	NTSTATUS status;

	os_choose_pool();
	os_active_count = (active_count_fn)os_resolve(L"KeQueryActiveProcessorCountEx");
	os_current_number = (current_number_fn)os_resolve(L"KeGetCurrentProcessorNumberEx");
	KeInitializeSpinLock(&os_waiters_lock);
	os_waiters = NULL;
	os_work_items.head = os_work_items.tail = NULL;
	os_work_lock.word = 0;
	os_work_stop = 0;
	KeInitializeEvent(&os_work_wake, SynchronizationEvent, FALSE);
	KeInitializeDpc(&os_kick_dpc, os_kick, NULL);

	InitializeObjectAttributes(&attrs, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
	status = PsCreateSystemThread(&thread, THREAD_ALL_ACCESS, &attrs, NULL, NULL,
				      os_work_main, NULL);
	if (!NT_SUCCESS(status))
		return status;
	status = ObReferenceObjectByHandle(thread, THREAD_ALL_ACCESS, NULL, KernelMode,
					   (PVOID *)&os_work_thread, NULL);
	ZwClose(thread);
	if (!NT_SUCCESS(status)) {
		/* Without a reference we cannot wait for it: stop it and go on
		 * failing; it exits on its own. */
		__atomic_store_n(&os_work_stop, 1, __ATOMIC_RELEASE);
		KeSetEvent(&os_work_wake, IO_NO_INCREMENT, FALSE);
		return status;
	}
	os_running = true;
	return STATUS_SUCCESS;
}

void os_windows_fini(void)
{
	if (!os_running)
		return;
	__atomic_store_n(&os_work_stop, 1, __ATOMIC_RELEASE);
	KeSetEvent(&os_work_wake, IO_NO_INCREMENT, FALSE);
	KeWaitForSingleObject(os_work_thread, Executive, KernelMode, FALSE, NULL);
	ObDereferenceObject(os_work_thread);
	os_work_thread = NULL;
	os_running = false;
	KeFlushQueuedDpcs();
}
