/*
 * PVH entry of the test kernel. Xen enters pvh_start in 32-bit protected
 * mode, paging off, %ebx = physical address of struct hvm_start_info. We
 * identity-map the low 4 GiB with 2 MiB pages (RAM, the hypercall page and
 * the local APIC at 0xfee00000), switch to long mode and run 64-bit C: the
 * core is 64-bit first (Windows x64), so the guest runs it the same way.
 */
#include <xen/elfnote.h>

#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PS 0x80
#define CR4_PAE 0x20
#define EFER_MSR 0xc0000080
#define EFER_LME 0x100
#define CR0_PG_PE 0x80000001

	.section .note.Xen, "a"
	.p2align 2
	.long 4			/* name size: "Xen\0" */
	.long 4			/* descriptor size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.p2align 2
	.long pvh_start

	.section .text.boot, "ax"
	.code32
	.globl pvh_start
pvh_start:
	cli
	cld
	mov %ebx, %edi
	mov $boot_stack_top, %esp

	/* PML4[0] -> PDPT; PDPT[0..3] -> 4 page directories of 2 MiB pages. */
	mov $boot_pdpt, %eax
	or $(PTE_P | PTE_W), %eax
	mov %eax, boot_pml4
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $12, %eax
	add $boot_pd, %eax
	or $(PTE_P | PTE_W), %eax
	mov %eax, boot_pdpt(, %ecx, 8)
	inc %ecx
	cmp $4, %ecx
	jne 1b
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $21, %eax
	or $(PTE_P | PTE_W | PTE_PS), %eax
	mov %eax, boot_pd(, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jne 2b

	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $EFER_MSR, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $CR0_PG_PE, %eax
	mov %eax, %cr0
	lgdt boot_gdt_ptr
	ljmp $0x08, $long_entry

	.code64
long_entry:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	mov $boot_stack_top, %rsp
	mov %edi, %edi		/* start info address, zero-extended */
	call guest_main
3:	cli
	hlt
	jmp 3b

	.section .rodata
	.p2align 3
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.bss
	.p2align 12
boot_pml4:
	.skip 4096
boot_pdpt:
	.skip 4096
boot_pd:
	.skip 4 * 4096
	.p2align 4
	.skip 65536
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
