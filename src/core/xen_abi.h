/*
 * The single place the core includes Xen's public headers from: they are the
 * ABI authority (imported at build time by tools/get-xen-headers, never
 * retyped). We build against the newest interface those headers describe.
 */
#ifndef XB_XEN_ABI_H
#define XB_XEN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif

#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/hvm/params.h>
#include <xen/hvm/hvm_op.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>

#endif /* XB_XEN_ABI_H */
