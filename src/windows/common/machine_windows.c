/*
 * Machine access for the core on Windows: CPUID, MSR, port I/O, the
 * hypercall page and the hypercall call itself, and os_bug.
 */
#include <intrin.h>

#include "os_windows.h"

/* Xen/xenbus assertion stop code (interfaces.md 0.4, 7.3). */
#define OS_BUG_CHECK_CODE 0xDEADu

void os_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	int r[4];

	__cpuidex(r, (int)leaf, (int)subleaf);
	regs[0] = (uint32_t)r[0];
	regs[1] = (uint32_t)r[1];
	regs[2] = (uint32_t)r[2];
	regs[3] = (uint32_t)r[3];
}

void os_wrmsr(uint32_t msr, uint64_t value)
{
	__writemsr(msr, value);
}

uint8_t os_inb(uint16_t port) { return __inbyte(port); }
uint16_t os_inw(uint16_t port) { return __inword(port); }
uint32_t os_inl(uint16_t port) { return (uint32_t)__indword(port); }
void os_outb(uint16_t port, uint8_t value) { __outbyte(port, value); }
void os_outw(uint16_t port, uint16_t value) { __outword(port, value); }
void os_outl(uint16_t port, uint32_t value) { __outdword(port, value); }

void os_outsb(uint16_t port, const void *buf, size_t len)
{
	/* rep outsb only reads the buffer; the intrinsic's prototype is not const. */
	while (len > 0) {
		unsigned long n = len > 0x10000000u ? 0x10000000u : (unsigned long)len;

		__outbytestring(port, (unsigned char *)(uintptr_t)buf, n);
		buf = (const uint8_t *)buf + n;
		len -= n;
	}
}

/*
 * The hypercall page: one page of its own read-only, executable section
 * (.xenhcp), so it is resident with the image and never writable from the
 * guest's side; Xen fills it through the guest-physical frame. int3 until
 * then.
 */
extern const uint8_t os_hcall_page[4096] __asm__("xb_hypercall_page");
__asm__(".section .xenhcp,\"xr\"\n"
	".balign 4096\n"
	".globl xb_hypercall_page\n"
	"xb_hypercall_page:\n"
	".fill 4096,1,0xcc\n"
	".text\n");

void *os_hypercall_page(uint64_t *pfn)
{
	PHYSICAL_ADDRESS pa = MmGetPhysicalAddress((PVOID)os_hcall_page);

	if (pa.QuadPart == 0)
		return NULL;
	*pfn = (uint64_t)pa.QuadPart >> PAGE_SHIFT;
	return (void *)os_hcall_page;
}

#if defined(__x86_64__)
long os_hypercall(const void *entry, uintptr_t a1, uintptr_t a2, uintptr_t a3,
		  uintptr_t a4, uintptr_t a5)
{
	/* Xen takes rdi, rsi, rdx, r10, r8; rdi and rsi are callee-saved in the
	 * Microsoft ABI, so they are in/out operands here. */
	register uintptr_t r10 __asm__("r10") = a4;
	register uintptr_t r8 __asm__("r8") = a5;
	long ret;

	__asm__ __volatile__("call *%[entry]"
			     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
			     : [entry] "r"(entry)
			     : "memory", "cc", "rcx", "r9", "r11");
	return ret;
}
#elif defined(__i386__)
long os_hypercall(const void *entry, uintptr_t a1, uintptr_t a2, uintptr_t a3,
		  uintptr_t a4, uintptr_t a5)
{
	long ret;

	/* Xen takes ebx, ecx, edx, esi, edi: the entry comes from memory. */
	__asm__ __volatile__("call *%[entry]"
			     : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4), "+D"(a5)
			     : [entry] "m"(entry)
			     : "memory", "cc");
	return ret;
}
#else
#error "unsupported architecture"
#endif

void os_bug(const char *file, int line, const char *what)
{
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "xen|BUG: %s:%d: %s\n", file, line,
		   what);
	KeBugCheckEx(OS_BUG_CHECK_CODE, (ULONG_PTR)line, (ULONG_PTR)file, (ULONG_PTR)what, 0);
}
