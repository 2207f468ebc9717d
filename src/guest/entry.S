/*
 * Interrupt entry stubs, the hypercall trampoline and the hypercall page of
 * the test kernel (64-bit).
 */
	.text

/* Every vector pushes (error code or 0) and its number, then joins
 * intr_common, which saves the caller-saved registers (the C handler
 * preserves the rest) and calls guest_interrupt(vector, error, frame). */
.macro VEC n
	.p2align 4
vec_\n:
	.if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17) || (\n == 21)
	.else
	pushq $0
	.endif
	pushq $\n
	jmp intr_common
.endm

	.globl intr_vectors_start
intr_vectors_start:
.altmacro
.set i, 0
.rept 256
	VEC %i
	.set i, i + 1
.endr

	.p2align 4
intr_common:
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	mov 72(%rsp), %rdi	/* vector */
	mov 80(%rsp), %rsi	/* error code */
	lea 88(%rsp), %rdx	/* hardware frame: rip, cs, rflags, rsp, ss */
	cld
	call guest_interrupt
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	add $16, %rsp
	iretq

/* long os_hypercall(entry, a1, a2, a3, a4, a5): SysV args arrive in
 * rdi, rsi, rdx, rcx, r8, r9; Xen's 64-bit hypercall ABI wants them in
 * rdi, rsi, rdx, r10, r8 and the result comes back in rax. */
	.globl os_hypercall
os_hypercall:
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rdx
	mov %r8, %r10
	mov %r9, %r8
	call *%rax
	ret

/* The page Xen fills with hypercall stubs (written through its frame). */
	.p2align 12
	.globl guest_hypercall_page
guest_hypercall_page:
	.fill 4096, 1, 0xcc

	.section .note.GNU-stack, "", @progbits
