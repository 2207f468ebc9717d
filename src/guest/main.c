/*
 * Test kernel start-up: boot information, IDT, hypercall page, shared info,
 * event-channel upcall vector, local APIC timer; then the scenario suite
 * named by "suite=" on the command line, reported on port 0xE9.
 */
#include "compiler.h"
#include "guest.h"
#include "hypercall.h"
#include "shared_info.h"
#include "xen_abi.h"
#include <xen/arch-x86/hvm/start_info.h>

extern char __kernel_start[], __kernel_end[];
extern char intr_vectors_start[];

static char cmdline[512];

/* ---- command line ---------------------------------------------------- */

const char *guest_cmdline(void)
{
	return cmdline;
}

const char *guest_cmdline_get(const char *key, char *buf, size_t size)
{
	size_t klen = __builtin_strlen(key);
	const char *p = cmdline;

	while (*p) {
		const char *word = p;
		size_t n = 0;

		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - word) > klen && __builtin_memcmp(word, key, klen) == 0 &&
		    word[klen] == '=') {
			const char *v = word + klen + 1;

			while (v < p && n + 1 < size)
				buf[n++] = *v++;
			buf[n] = 0;
			return buf;
		}
		while (*p == ' ')
			p++;
	}
	return NULL;
}

/* ---- interrupts ------------------------------------------------------ */

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(16)));
static void (*upcall_handler)(void);
static volatile uint64_t upcall_count;

#define STUB_SIZE 16
#define GATE_INTR_PRESENT 0x8e
#define KERNEL_CS 0x08

static void idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uintptr_t)idt };
	unsigned v;

	for (v = 0; v < 256; v++) {
		uintptr_t a = (uintptr_t)intr_vectors_start + v * STUB_SIZE;

		idt[v].off_lo = (uint16_t)a;
		idt[v].sel = KERNEL_CS;
		idt[v].type = GATE_INTR_PRESENT;
		idt[v].off_mid = (uint16_t)(a >> 16);
		idt[v].off_hi = (uint32_t)(a >> 32);
	}
	__asm__ __volatile__("lidt %0" : : "m"(idtr));
}

void guest_set_upcall(void (*handler)(void))
{
	upcall_handler = handler;
}

uint64_t guest_upcall_count(void)
{
	return upcall_count;
}

/* ---- local APIC: one-shot timer to wake the halted vCPU --------------- */

#define LAPIC_BASE 0xfee00000u
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_DIV 0x3e0
#define LAPIC_SVR_ENABLE 0x100
#define LAPIC_DIV_1 0xb
/* Xen's virtual APIC counts its timer at 1 ns per tick with divisor 1. */
#define LAPIC_MAX_SLEEP_NS 10000000ull

static void lapic_write(unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg) = v;
}

void guest_lapic_init(void)
{
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | GUEST_SPURIOUS_VECTOR);
	lapic_write(LAPIC_TIMER_DIV, LAPIC_DIV_1);
	lapic_write(LAPIC_LVT_TIMER, GUEST_TIMER_VECTOR);
}

void guest_halt_until(uint64_t deadline_ns)
{
	uint64_t now = os_time_ns();
	uint64_t sleep = deadline_ns > now ? deadline_ns - now : 0;

	if (sleep > LAPIC_MAX_SLEEP_NS)
		sleep = LAPIC_MAX_SLEEP_NS;
	if (sleep == 0) {
		guest_irq_enable();
		return;
	}
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)sleep);
	/* sti takes effect after hlt starts: no wake-up is lost in between. */
	__asm__ __volatile__("sti; hlt" : : : "memory");
}

static uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}

void guest_interrupt(uint64_t vector, uint64_t error, uint64_t *frame)
{
	if (vector == GUEST_UPCALL_VECTOR) {
		upcall_count++;
		if (upcall_handler) {
			upcall_handler();
		} else {
			/* Nobody listens: acknowledge so Xen stops injecting. */
			shared_info_upcall_pending(0);
		}
		return;
	}
	if (vector == GUEST_TIMER_VECTOR) {
		lapic_write(LAPIC_EOI, 0);
		return;
	}
	if (vector == GUEST_SPURIOUS_VECTOR)
		return;
	guest_printf("XT CRASH exception %lu error %lx rip %lx cr2 %lx\n",
		     (unsigned long)vector, (unsigned long)error, (unsigned long)frame[0],
		     (unsigned long)read_cr2());
	guest_shutdown(SHUTDOWN_crash);
}

/* ---- boot ------------------------------------------------------------ */

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* The heap: the RAM region holding the kernel, above the kernel and every
 * piece of boot information Xen placed after it. */
static void heap_from_start_info(const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *mm =
		(const void *)(uintptr_t)si->memmap_paddr;
	uint64_t kstart = (uintptr_t)__kernel_start;
	uint64_t start = (uintptr_t)__kernel_end, end = 0;
	uint32_t i;

	start = max_u64(start, (uintptr_t)si + sizeof(*si));
	if (si->cmdline_paddr)
		start = max_u64(start, si->cmdline_paddr + __builtin_strlen(cmdline) + 1);
	if (si->version < 1 || !si->memmap_paddr || !si->memmap_entries) {
		guest_printf("guest: no memory map in start info (version %u)\n", si->version);
		guest_shutdown(SHUTDOWN_crash);
	}
	start = max_u64(start, si->memmap_paddr + si->memmap_entries * sizeof(*mm));
	for (i = 0; i < si->nr_modules; i++)
		start = max_u64(start, si->modlist_paddr + (i + 1) * sizeof(struct hvm_modlist_entry));
	for (i = 0; i < si->memmap_entries; i++) {
		if (mm[i].type == XEN_HVM_MEMMAP_TYPE_RAM && mm[i].addr <= kstart &&
		    kstart < mm[i].addr + mm[i].size)
			end = mm[i].addr + mm[i].size;
	}
	if (end <= start) {
		guest_printf("guest: no RAM for the heap\n");
		guest_shutdown(SHUTDOWN_crash);
	}
	guest_heap_init(start, end);
}

void guest_upcall_init(void)
{
	uint64_t via = ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR
			<< __builtin_ctzll(HVM_PARAM_CALLBACK_IRQ_TYPE_MASK)) |
		       GUEST_UPCALL_VECTOR;
	xen_status rc = hvm_set_param(HVM_PARAM_CALLBACK_IRQ, via);

	if (rc)
		guest_printf("guest: callback vector not set (%d)\n", rc);
}

static uint32_t xen_cpuid_base(void)
{
	uint32_t r[4], base;

	for (base = XEN_CPUID_FIRST_LEAF; base < XEN_CPUID_FIRST_LEAF + 0x10000; base += 0x100) {
		os_cpuid(base, 0, r);
		if (r[1] == XEN_CPUID_SIGNATURE_EBX && r[2] == XEN_CPUID_SIGNATURE_ECX &&
		    r[3] == XEN_CPUID_SIGNATURE_EDX && r[0] - base >= 2)
			return base;
	}
	return 0;
}

void guest_resume(void)
{
	/* The new domain has no shared info mapping and no callback via. */
	guest_time_init();
	guest_upcall_init();
}

void guest_main(uint32_t start_info_pa)
{
	const struct hvm_start_info *si = (const void *)(uintptr_t)start_info_pa;
	char suite[64];
	uint32_t base, r[4];
	int failed;

	idt_init();
	if (si->magic != XEN_HVM_START_MAGIC_VALUE) {
		guest_printf("guest: bad start info magic %x\n", si->magic);
		guest_shutdown(SHUTDOWN_crash);
	}
	if (si->cmdline_paddr) {
		const char *c = (const char *)(uintptr_t)si->cmdline_paddr;
		size_t n = 0;

		while (c[n] && n + 1 < sizeof(cmdline)) {
			cmdline[n] = c[n];
			n++;
		}
		cmdline[n] = 0;
	}
	heap_from_start_info(si);
	/* The kernel's own bring-up needs hypercalls before any scenario. */
	base = xen_cpuid_base();
	if (!base) {
		guest_printf("guest: not running on Xen\n");
		for (;;)
			__asm__ __volatile__("cli; hlt");
	}
	os_cpuid(base + 2, 0, r);
	if (hypercall_init(r[1]) != XEN_OK)
		guest_shutdown(SHUTDOWN_crash);
	guest_time_init();
	guest_lapic_init();
	guest_upcall_init();
	guest_irq_enable();
	guest_printf("guest: up, cmdline \"%s\", %lu free pages\n", cmdline,
		     (unsigned long)guest_free_pages());
	if (!guest_cmdline_get("suite", suite, sizeof(suite))) {
		guest_printf("guest: no suite= on the command line\n");
		guest_shutdown(SHUTDOWN_crash);
	}
	failed = guest_run_scenarios(suite);
	guest_clock_report();
	guest_shutdown(failed ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}
