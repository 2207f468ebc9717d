/*
 * XENBUS CONSOLE interface (version 1): the guest's PV console ring.
 * Served by xenbus.sys on every child PDO. The ring methods take a
 * HIGH_LEVEL lock (any IRQL); WakeupAdd/WakeupRemove need
 * IRQL <= DISPATCH_LEVEL.
 *
 * Include <wdm.h> or <ntddk.h> first. Define _WINDLL to get only the GUID
 * and the version range.
 */
#ifndef _XENBUS_CONSOLE_INTERFACE_H
#define _XENBUS_CONSOLE_INTERFACE_H

#ifndef _WINDLL

/* Opaque wakeup registration, owned by the bus. */
typedef struct _XENBUS_CONSOLE_WAKEUP XENBUS_CONSOLE_WAKEUP, *PXENBUS_CONSOLE_WAKEUP;

/* Take a reference; the first one connects the ring. Fails when the
 * toolstack gave the domain no PV console. */
typedef NTSTATUS (NTAPI *XENBUS_CONSOLE_ACQUIRE)(PINTERFACE Interface);

/* Drop the reference taken by Acquire; every wakeup must be removed. */
typedef VOID (NTAPI *XENBUS_CONSOLE_RELEASE)(PINTERFACE Interface);

/* TRUE if input is waiting. */
typedef BOOLEAN (NTAPI *XENBUS_CONSOLE_CAN_READ)(PINTERFACE Interface);

/* Copy up to Length bytes of input into Data; returns the count (0 when
 * the console is disabled). */
typedef ULONG (NTAPI *XENBUS_CONSOLE_READ)(
    PINTERFACE Interface,
    PSTR Data,
    ULONG Length);

/* TRUE if the output ring has space. */
typedef BOOLEAN (NTAPI *XENBUS_CONSOLE_CAN_WRITE)(PINTERFACE Interface);

/* Queue as much of Data[0..Length) as fits; returns the count, which may
 * be partial (0 when the console is disabled). */
typedef ULONG (NTAPI *XENBUS_CONSOLE_WRITE)(
    PINTERFACE Interface,
    PSTR Data,
    ULONG Length);

/* Set Event on every console interrupt and after connect or resume. */
typedef NTSTATUS (NTAPI *XENBUS_CONSOLE_WAKEUP_ADD)(
    PINTERFACE Interface,
    PKEVENT Event,
    PXENBUS_CONSOLE_WAKEUP *Wakeup);

/* Unregister and free a wakeup. */
typedef VOID (NTAPI *XENBUS_CONSOLE_WAKEUP_REMOVE)(
    PINTERFACE Interface,
    PXENBUS_CONSOLE_WAKEUP Wakeup);

struct _XENBUS_CONSOLE_INTERFACE_V1 {
    INTERFACE                       Interface;
    XENBUS_CONSOLE_ACQUIRE          ConsoleAcquire;
    XENBUS_CONSOLE_RELEASE          ConsoleRelease;
    XENBUS_CONSOLE_CAN_READ         ConsoleCanRead;
    XENBUS_CONSOLE_READ             ConsoleRead;
    XENBUS_CONSOLE_CAN_WRITE        ConsoleCanWrite;
    XENBUS_CONSOLE_WRITE            ConsoleWrite;
    XENBUS_CONSOLE_WAKEUP_ADD       ConsoleWakeupAdd;
    XENBUS_CONSOLE_WAKEUP_REMOVE    ConsoleWakeupRemove;
};

typedef struct _XENBUS_CONSOLE_INTERFACE_V1 XENBUS_CONSOLE_INTERFACE_V1, *PXENBUS_CONSOLE_INTERFACE_V1;

/* The newest version. */
typedef struct _XENBUS_CONSOLE_INTERFACE_V1 XENBUS_CONSOLE_INTERFACE, *PXENBUS_CONSOLE_INTERFACE;

/* XENBUS_CONSOLE(Method, Interface, args...) calls Interface->ConsoleMethod
 * with the interface as the first argument. */
#if defined(_MSC_VER) && !defined(__clang__) && (!defined(_MSVC_TRADITIONAL) || _MSVC_TRADITIONAL)
/* MSVC's traditional preprocessor drops the comma before an empty list. */
#define XENBUS_CONSOLE(_Method, _Interface, ...) \
    (_Interface)->Console ## _Method((PINTERFACE)(_Interface), __VA_ARGS__)
#else
/* __VA_OPT__ rather than ", ##": the arguments may themselves be calls. */
#define XENBUS_CONSOLE(_Method, _Interface, ...) \
    (_Interface)->Console ## _Method((PINTERFACE)(_Interface) __VA_OPT__(,) __VA_ARGS__)
#endif

#endif /* _WINDLL */

/* {04C4F738-034A-4268-BD20-A92AC90D4F82} */
DEFINE_GUID(GUID_XENBUS_CONSOLE_INTERFACE,
            0x04c4f738, 0x034a, 0x4268, 0xbd, 0x20, 0xa9, 0x2a, 0xc9, 0x0d, 0x4f, 0x82);

#define XENBUS_CONSOLE_INTERFACE_VERSION_MIN 1
#define XENBUS_CONSOLE_INTERFACE_VERSION_MAX 1

#endif /* _XENBUS_CONSOLE_INTERFACE_H */
