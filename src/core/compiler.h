/*
 * Compiler helpers shared by the core: barriers, atomics and invariant
 * checks. GCC/Clang builtins only, so the same code builds for the host,
 * the freestanding test kernel and mingw-w64 kernel images.
 */
#ifndef XB_COMPILER_H
#define XB_COMPILER_H

#include "os.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

/* Full and one-way barriers for memory shared with Xen or a backend. */
#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define barrier() __asm__ __volatile__("" ::: "memory")

/* Read a shared location exactly once (no re-fetch by the compiler). */
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

#define BUG(what) os_bug(__FILE__, __LINE__, (what))
#define BUG_ON(cond) \
	do { \
		if (unlikely(cond)) \
			os_bug(__FILE__, __LINE__, #cond); \
	} while (0)

#endif /* XB_COMPILER_H */
