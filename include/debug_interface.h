/*
 * XENBUS DEBUG interface (version 1): callbacks that dump state to the log
 * on demand, on the Xen 'q' debug key (VIRQ_DEBUG), on a store stall and on
 * a bugcheck. Served by xenbus.sys on every child PDO.
 *
 * Include <wdm.h> or <ntddk.h> first. Define _WINDLL to get only the GUID
 * and the version range.
 */
#ifndef _XENBUS_DEBUG_INTERFACE_H
#define _XENBUS_DEBUG_INTERFACE_H

#ifndef _WINDLL

/* Opaque registration handle, owned by the bus. */
typedef struct _XENBUS_DEBUG_CALLBACK XENBUS_DEBUG_CALLBACK, *PXENBUS_DEBUG_CALLBACK;

/* Runs at HIGH_LEVEL; Crashing is TRUE when called from a bugcheck. */
typedef VOID (NTAPI *XENBUS_DEBUG_FUNCTION)(PVOID Argument, BOOLEAN Crashing);

/* Take a reference on the subsystem; the first one registers the bus's
 * bugcheck callback (STATUS_UNSUCCESSFUL if that fails). */
typedef NTSTATUS (NTAPI *XENBUS_DEBUG_ACQUIRE)(PINTERFACE Interface);

/* Drop the reference taken by Acquire; every callback must be deregistered. */
typedef VOID (NTAPI *XENBUS_DEBUG_RELEASE)(PINTERFACE Interface);

/* Register Function(Argument); Prefix (copied, at most 31 characters)
 * starts each line it prints. STATUS_NO_MEMORY is the only failure.
 * IRQL <= DISPATCH_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_DEBUG_REGISTER)(
    PINTERFACE Interface,
    PSTR Prefix,
    XENBUS_DEBUG_FUNCTION Function,
    PVOID Argument,
    PXENBUS_DEBUG_CALLBACK *Callback);

/* Print "<prefix>: <text>" to the log at INFO level. Valid only inside a
 * debug callback. */
typedef VOID (__cdecl *XENBUS_DEBUG_PRINTF)(
    PINTERFACE Interface,
    PCSTR Format,
    ...);

/* Run one callback, or all when Callback is NULL, with Crashing = FALSE. */
typedef VOID (NTAPI *XENBUS_DEBUG_TRIGGER)(
    PINTERFACE Interface,
    PXENBUS_DEBUG_CALLBACK Callback);

/* Unlink and free a registration. */
typedef VOID (NTAPI *XENBUS_DEBUG_DEREGISTER)(
    PINTERFACE Interface,
    PXENBUS_DEBUG_CALLBACK Callback);

struct _XENBUS_DEBUG_INTERFACE_V1 {
    INTERFACE                   Interface;
    XENBUS_DEBUG_ACQUIRE        DebugAcquire;
    XENBUS_DEBUG_RELEASE        DebugRelease;
    XENBUS_DEBUG_REGISTER       DebugRegister;
    XENBUS_DEBUG_PRINTF         DebugPrintf;
    XENBUS_DEBUG_TRIGGER        DebugTrigger;
    XENBUS_DEBUG_DEREGISTER     DebugDeregister;
};

typedef struct _XENBUS_DEBUG_INTERFACE_V1 XENBUS_DEBUG_INTERFACE_V1, *PXENBUS_DEBUG_INTERFACE_V1;

/* The newest version. */
typedef struct _XENBUS_DEBUG_INTERFACE_V1 XENBUS_DEBUG_INTERFACE, *PXENBUS_DEBUG_INTERFACE;

/* XENBUS_DEBUG(Method, Interface, args...) calls Interface->DebugMethod
 * with the interface as the first argument. */
#if defined(_MSC_VER) && !defined(__clang__) && (!defined(_MSVC_TRADITIONAL) || _MSVC_TRADITIONAL)
/* MSVC's traditional preprocessor drops the comma before an empty list. */
#define XENBUS_DEBUG(_Method, _Interface, ...) \
    (_Interface)->Debug ## _Method((PINTERFACE)(_Interface), __VA_ARGS__)
#else
/* __VA_OPT__ rather than ", ##": the arguments may themselves be calls. */
#define XENBUS_DEBUG(_Method, _Interface, ...) \
    (_Interface)->Debug ## _Method((PINTERFACE)(_Interface) __VA_OPT__(,) __VA_ARGS__)
#endif

#endif /* _WINDLL */

/* {0DF600AE-6B20-4227-BF94-03DA9A26A114} */
DEFINE_GUID(GUID_XENBUS_DEBUG_INTERFACE,
            0x0df600ae, 0x6b20, 0x4227, 0xbf, 0x94, 0x03, 0xda, 0x9a, 0x26, 0xa1, 0x14);

#define XENBUS_DEBUG_INTERFACE_VERSION_MIN 1
#define XENBUS_DEBUG_INTERFACE_VERSION_MAX 1

#endif /* _XENBUS_DEBUG_INTERFACE_H */
