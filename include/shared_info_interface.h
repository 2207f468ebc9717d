/*
 * XENBUS SHARED_INFO interface (versions 2, 3, 4): the shared info page.
 * The event-channel methods are private to the bus's EVTCHN implementation;
 * children normally use only GetTime. Served by xenbus.sys on every child PDO.
 *
 * Include <wdm.h> or <ntddk.h> first. Define _WINDLL to get only the GUID
 * and the version range.
 */
#ifndef _XENBUS_SHARED_INFO_INTERFACE_H
#define _XENBUS_SHARED_INFO_INTERFACE_H

#ifndef _WINDLL

/* Called by EvtchnPoll for each pending, unmasked port; results are ORed. */
typedef BOOLEAN (NTAPI *XENBUS_SHARED_INFO_EVENT)(PVOID Argument, ULONG Port);

/* Take a reference on the subsystem. IRQL <= DISPATCH_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_SHARED_INFO_ACQUIRE)(PINTERFACE Interface);

/* Drop the reference taken by Acquire. IRQL <= DISPATCH_LEVEL. */
typedef VOID (NTAPI *XENBUS_SHARED_INFO_RELEASE)(PINTERFACE Interface);

/* TRUE if a vcpu_info is known for CPU Index (v4 and later). */
typedef BOOLEAN (NTAPI *XENBUS_SHARED_INFO_UPCALL_SUPPORTED)(PINTERFACE Interface, ULONG Index);

/* Read and clear evtchn_upcall_pending of CPU Index, atomically. */
typedef BOOLEAN (NTAPI *XENBUS_SHARED_INFO_UPCALL_PENDING)(PINTERFACE Interface, ULONG Index);

/* Two-level scan of pending & ~mask for CPU Index, calling Event for each
 * port found. Returns the OR of the Event results. */
typedef BOOLEAN (NTAPI *XENBUS_SHARED_INFO_EVTCHN_POLL)(
    PINTERFACE Interface,
    ULONG Index,
    XENBUS_SHARED_INFO_EVENT Event,
    PVOID Argument);

/* Clear the pending bit of Port. */
typedef VOID (NTAPI *XENBUS_SHARED_INFO_EVTCHN_ACK)(PINTERFACE Interface, ULONG Port);

/* Set the mask bit of Port. */
typedef VOID (NTAPI *XENBUS_SHARED_INFO_EVTCHN_MASK)(PINTERFACE Interface, ULONG Port);

/* Clear the mask bit of Port; returns whether Port is pending. */
typedef BOOLEAN (NTAPI *XENBUS_SHARED_INFO_EVTCHN_UNMASK)(PINTERFACE Interface, ULONG Port);

/* Version 2 only: the wall clock as a FILETIME (100 ns since 1601),
 * returned by value. */
typedef LARGE_INTEGER (NTAPI *XENBUS_SHARED_INFO_GET_TIME_V2)(PINTERFACE Interface);

/* Versions 3 and 4: the wall clock as a FILETIME in *Time; *Local (may be
 * NULL) is TRUE when the hardware clock keeps local time (registry
 * RealTimeIsUniversal absent or 0). IRQL <= DISPATCH_LEVEL. */
typedef VOID (NTAPI *XENBUS_SHARED_INFO_GET_TIME)(
    PINTERFACE Interface,
    PLARGE_INTEGER Time,
    PBOOLEAN Local);

struct _XENBUS_SHARED_INFO_INTERFACE_V2 {
    INTERFACE                           Interface;
    XENBUS_SHARED_INFO_ACQUIRE          SharedInfoAcquire;
    XENBUS_SHARED_INFO_RELEASE          SharedInfoRelease;
    XENBUS_SHARED_INFO_UPCALL_PENDING   SharedInfoUpcallPending;
    XENBUS_SHARED_INFO_EVTCHN_POLL      SharedInfoEvtchnPoll;
    XENBUS_SHARED_INFO_EVTCHN_ACK       SharedInfoEvtchnAck;
    XENBUS_SHARED_INFO_EVTCHN_MASK      SharedInfoEvtchnMask;
    XENBUS_SHARED_INFO_EVTCHN_UNMASK    SharedInfoEvtchnUnmask;
    XENBUS_SHARED_INFO_GET_TIME_V2      SharedInfoGetTimeVersion2;
};

struct _XENBUS_SHARED_INFO_INTERFACE_V3 {
    INTERFACE                           Interface;
    XENBUS_SHARED_INFO_ACQUIRE          SharedInfoAcquire;
    XENBUS_SHARED_INFO_RELEASE          SharedInfoRelease;
    XENBUS_SHARED_INFO_UPCALL_PENDING   SharedInfoUpcallPending;
    XENBUS_SHARED_INFO_EVTCHN_POLL      SharedInfoEvtchnPoll;
    XENBUS_SHARED_INFO_EVTCHN_ACK       SharedInfoEvtchnAck;
    XENBUS_SHARED_INFO_EVTCHN_MASK      SharedInfoEvtchnMask;
    XENBUS_SHARED_INFO_EVTCHN_UNMASK    SharedInfoEvtchnUnmask;
    XENBUS_SHARED_INFO_GET_TIME         SharedInfoGetTime;
};

struct _XENBUS_SHARED_INFO_INTERFACE_V4 {
    INTERFACE                           Interface;
    XENBUS_SHARED_INFO_ACQUIRE          SharedInfoAcquire;
    XENBUS_SHARED_INFO_RELEASE          SharedInfoRelease;
    XENBUS_SHARED_INFO_UPCALL_SUPPORTED SharedInfoUpcallSupported;
    XENBUS_SHARED_INFO_UPCALL_PENDING   SharedInfoUpcallPending;
    XENBUS_SHARED_INFO_EVTCHN_POLL      SharedInfoEvtchnPoll;
    XENBUS_SHARED_INFO_EVTCHN_ACK       SharedInfoEvtchnAck;
    XENBUS_SHARED_INFO_EVTCHN_MASK      SharedInfoEvtchnMask;
    XENBUS_SHARED_INFO_EVTCHN_UNMASK    SharedInfoEvtchnUnmask;
    XENBUS_SHARED_INFO_GET_TIME         SharedInfoGetTime;
};

typedef struct _XENBUS_SHARED_INFO_INTERFACE_V2 XENBUS_SHARED_INFO_INTERFACE_V2, *PXENBUS_SHARED_INFO_INTERFACE_V2;
typedef struct _XENBUS_SHARED_INFO_INTERFACE_V3 XENBUS_SHARED_INFO_INTERFACE_V3, *PXENBUS_SHARED_INFO_INTERFACE_V3;
typedef struct _XENBUS_SHARED_INFO_INTERFACE_V4 XENBUS_SHARED_INFO_INTERFACE_V4, *PXENBUS_SHARED_INFO_INTERFACE_V4;

/* The newest version. */
typedef struct _XENBUS_SHARED_INFO_INTERFACE_V4 XENBUS_SHARED_INFO_INTERFACE, *PXENBUS_SHARED_INFO_INTERFACE;

/* XENBUS_SHARED_INFO(Method, Interface, args...) calls
 * Interface->SharedInfoMethod with the interface as the first argument. */
#if defined(_MSC_VER) && !defined(__clang__) && (!defined(_MSVC_TRADITIONAL) || _MSVC_TRADITIONAL)
/* MSVC's traditional preprocessor drops the comma before an empty list. */
#define XENBUS_SHARED_INFO(_Method, _Interface, ...) \
    (_Interface)->SharedInfo ## _Method((PINTERFACE)(_Interface), __VA_ARGS__)
#else
/* __VA_OPT__ rather than ", ##": the arguments may themselves be calls. */
#define XENBUS_SHARED_INFO(_Method, _Interface, ...) \
    (_Interface)->SharedInfo ## _Method((PINTERFACE)(_Interface) __VA_OPT__(,) __VA_ARGS__)
#endif

#endif /* _WINDLL */

/* {7E73C34F-1640-4649-A8F3-263BC930A004} */
DEFINE_GUID(GUID_XENBUS_SHARED_INFO_INTERFACE,
            0x7e73c34f, 0x1640, 0x4649, 0xa8, 0xf3, 0x26, 0x3b, 0xc9, 0x30, 0xa0, 0x04);

#define XENBUS_SHARED_INFO_INTERFACE_VERSION_MIN 2
#define XENBUS_SHARED_INFO_INTERFACE_VERSION_MAX 4

#endif /* _XENBUS_SHARED_INFO_INTERFACE_H */
