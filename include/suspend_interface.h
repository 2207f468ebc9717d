/*
 * XENBUS SUSPEND interface (version 1): callbacks around a VM suspend and
 * resume (save/restore, migration). Served by xenbus.sys on every child PDO.
 *
 * Include <wdm.h> or <ntddk.h> first. Define _WINDLL to get only the GUID
 * and the version range (for user-mode or non-Windows consumers).
 */
#ifndef _XENBUS_SUSPEND_INTERFACE_H
#define _XENBUS_SUSPEND_INTERFACE_H

#ifndef _WINDLL

/* When a callback runs: EARLY on CPU 0 at HIGH_LEVEL with interrupts off,
 * right after the hypercall; LATE on CPU 0 at DISPATCH_LEVEL afterwards. */
typedef enum _XENBUS_SUSPEND_CALLBACK_TYPE {
    SUSPEND_CALLBACK_TYPE_INVALID = 0,
    SUSPEND_CALLBACK_EARLY,
    SUSPEND_CALLBACK_LATE
} XENBUS_SUSPEND_CALLBACK_TYPE, *PXENBUS_SUSPEND_CALLBACK_TYPE;

/* Opaque registration handle, owned by the bus. */
typedef struct _XENBUS_SUSPEND_CALLBACK XENBUS_SUSPEND_CALLBACK, *PXENBUS_SUSPEND_CALLBACK;

typedef VOID (NTAPI *XENBUS_SUSPEND_FUNCTION)(PVOID Argument);

/* Take a reference on the subsystem. IRQL <= DISPATCH_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_SUSPEND_ACQUIRE)(PINTERFACE Interface);

/* Drop the reference taken by Acquire. IRQL <= DISPATCH_LEVEL. */
typedef VOID (NTAPI *XENBUS_SUSPEND_RELEASE)(PINTERFACE Interface);

/* Register Function(Argument) for the given phase; callbacks of a phase
 * run in registration order. STATUS_NO_MEMORY is the only failure.
 * IRQL <= DISPATCH_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_SUSPEND_REGISTER)(
    PINTERFACE Interface,
    XENBUS_SUSPEND_CALLBACK_TYPE Type,
    XENBUS_SUSPEND_FUNCTION Function,
    PVOID Argument,
    PXENBUS_SUSPEND_CALLBACK *Callback);

/* Unlink and free a registration. IRQL <= DISPATCH_LEVEL. */
typedef VOID (NTAPI *XENBUS_SUSPEND_DEREGISTER)(
    PINTERFACE Interface,
    PXENBUS_SUSPEND_CALLBACK Callback);

/* Suspend the VM now (SCHEDOP_shutdown/SHUTDOWN_suspend). Returns
 * STATUS_SUCCESS also when Xen cancels the suspend (upstream behaviour):
 * compare GetCount before and after to tell. PASSIVE_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_SUSPEND_TRIGGER)(PINTERFACE Interface);

/* Number of completed (not cancelled) suspends since boot. Any IRQL. */
typedef ULONG (NTAPI *XENBUS_SUSPEND_GET_COUNT)(PINTERFACE Interface);

struct _XENBUS_SUSPEND_INTERFACE_V1 {
    INTERFACE                   Interface;
    XENBUS_SUSPEND_ACQUIRE      SuspendAcquire;
    XENBUS_SUSPEND_RELEASE      SuspendRelease;
    XENBUS_SUSPEND_REGISTER     SuspendRegister;
    XENBUS_SUSPEND_DEREGISTER   SuspendDeregister;
    XENBUS_SUSPEND_TRIGGER      SuspendTrigger;
    XENBUS_SUSPEND_GET_COUNT    SuspendGetCount;
};

typedef struct _XENBUS_SUSPEND_INTERFACE_V1 XENBUS_SUSPEND_INTERFACE_V1, *PXENBUS_SUSPEND_INTERFACE_V1;

/* The newest version. */
typedef struct _XENBUS_SUSPEND_INTERFACE_V1 XENBUS_SUSPEND_INTERFACE, *PXENBUS_SUSPEND_INTERFACE;

/* XENBUS_SUSPEND(Method, Interface, args...) calls Interface->SuspendMethod
 * with the interface itself as the first argument. */
#if defined(_MSC_VER) && !defined(__clang__) && (!defined(_MSVC_TRADITIONAL) || _MSVC_TRADITIONAL)
/* MSVC's traditional preprocessor drops the comma before an empty list. */
#define XENBUS_SUSPEND(_Method, _Interface, ...) \
    (_Interface)->Suspend ## _Method((PINTERFACE)(_Interface), __VA_ARGS__)
#else
/* __VA_OPT__ rather than ", ##": the arguments may themselves be calls. */
#define XENBUS_SUSPEND(_Method, _Interface, ...) \
    (_Interface)->Suspend ## _Method((PINTERFACE)(_Interface) __VA_OPT__(,) __VA_ARGS__)
#endif

#endif /* _WINDLL */

/* {0554F2AF-B510-4C71-AC03-1C503E394238} */
DEFINE_GUID(GUID_XENBUS_SUSPEND_INTERFACE,
            0x0554f2af, 0xb510, 0x4c71, 0xac, 0x03, 0x1c, 0x50, 0x3e, 0x39, 0x42, 0x38);

#define XENBUS_SUSPEND_INTERFACE_VERSION_MIN 1
#define XENBUS_SUSPEND_INTERFACE_VERSION_MAX 1

#endif /* _XENBUS_SUSPEND_INTERFACE_H */
