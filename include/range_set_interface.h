/*
 * XENBUS RANGE_SET interface (version 1): sets of signed 64-bit item
 * numbers kept as ranges (e.g. free grant references or hole pages).
 * Served by xenbus.sys on every child PDO. Every method takes spin locks:
 * IRQL <= DISPATCH_LEVEL.
 *
 * Include <wdm.h> or <ntddk.h> first. Define _WINDLL to get only the GUID
 * and the version range.
 */
#ifndef _XENBUS_RANGE_SET_INTERFACE_H
#define _XENBUS_RANGE_SET_INTERFACE_H

#ifndef _WINDLL

/* Opaque set handle, owned by the bus. */
typedef struct _XENBUS_RANGE_SET XENBUS_RANGE_SET, *PXENBUS_RANGE_SET;

/* Take a reference on the subsystem. */
typedef NTSTATUS (NTAPI *XENBUS_RANGE_SET_ACQUIRE)(PINTERFACE Interface);

/* Drop the reference taken by Acquire; every set must be destroyed first. */
typedef VOID (NTAPI *XENBUS_RANGE_SET_RELEASE)(PINTERFACE Interface);

/* Create an empty set; Name appears in debug output. */
typedef NTSTATUS (NTAPI *XENBUS_RANGE_SET_CREATE)(
    PINTERFACE Interface,
    PCSTR Name,
    PXENBUS_RANGE_SET *RangeSet);

/* Add items Start .. Start + Count - 1, none of which may be present.
 * STATUS_INVALID_PARAMETER for Count 0. */
typedef NTSTATUS (NTAPI *XENBUS_RANGE_SET_PUT)(
    PINTERFACE Interface,
    PXENBUS_RANGE_SET RangeSet,
    LONGLONG Start,
    ULONGLONG Count);

/* Take Count consecutive items from the lowest range large enough; *Start
 * receives the first. STATUS_INVALID_PARAMETER for Count 0,
 * STATUS_INSUFFICIENT_RESOURCES when nothing fits. */
typedef NTSTATUS (NTAPI *XENBUS_RANGE_SET_POP)(
    PINTERFACE Interface,
    PXENBUS_RANGE_SET RangeSet,
    ULONGLONG Count,
    PLONGLONG Start);

/* Remove the given items, which must all be present in one range. May
 * fail with STATUS_NO_MEMORY when a range splits. */
typedef NTSTATUS (NTAPI *XENBUS_RANGE_SET_GET)(
    PINTERFACE Interface,
    PXENBUS_RANGE_SET RangeSet,
    LONGLONG Start,
    ULONGLONG Count);

/* Free an empty set. */
typedef VOID (NTAPI *XENBUS_RANGE_SET_DESTROY)(
    PINTERFACE Interface,
    PXENBUS_RANGE_SET RangeSet);

struct _XENBUS_RANGE_SET_INTERFACE_V1 {
    INTERFACE                   Interface;
    XENBUS_RANGE_SET_ACQUIRE    RangeSetAcquire;
    XENBUS_RANGE_SET_RELEASE    RangeSetRelease;
    XENBUS_RANGE_SET_CREATE     RangeSetCreate;
    XENBUS_RANGE_SET_PUT        RangeSetPut;
    XENBUS_RANGE_SET_POP        RangeSetPop;
    XENBUS_RANGE_SET_GET        RangeSetGet;
    XENBUS_RANGE_SET_DESTROY    RangeSetDestroy;
};

typedef struct _XENBUS_RANGE_SET_INTERFACE_V1 XENBUS_RANGE_SET_INTERFACE_V1, *PXENBUS_RANGE_SET_INTERFACE_V1;

/* The newest version. */
typedef struct _XENBUS_RANGE_SET_INTERFACE_V1 XENBUS_RANGE_SET_INTERFACE, *PXENBUS_RANGE_SET_INTERFACE;

/* XENBUS_RANGE_SET(Method, Interface, args...) calls
 * Interface->RangeSetMethod with the interface as the first argument. */
#if defined(_MSC_VER) && !defined(__clang__) && (!defined(_MSVC_TRADITIONAL) || _MSVC_TRADITIONAL)
/* MSVC's traditional preprocessor drops the comma before an empty list. */
#define XENBUS_RANGE_SET(_Method, _Interface, ...) \
    (_Interface)->RangeSet ## _Method((PINTERFACE)(_Interface), __VA_ARGS__)
#else
/* __VA_OPT__ rather than ", ##": the arguments may themselves be calls. */
#define XENBUS_RANGE_SET(_Method, _Interface, ...) \
    (_Interface)->RangeSet ## _Method((PINTERFACE)(_Interface) __VA_OPT__(,) __VA_ARGS__)
#endif

#endif /* _WINDLL */

/* {EE7E78A2-6847-48C5-B123-BB012F0EABF4} */
DEFINE_GUID(GUID_XENBUS_RANGE_SET_INTERFACE,
            0xee7e78a2, 0x6847, 0x48c5, 0xb1, 0x23, 0xbb, 0x01, 0x2f, 0x0e, 0xab, 0xf4);

#define XENBUS_RANGE_SET_INTERFACE_VERSION_MIN 1
#define XENBUS_RANGE_SET_INTERFACE_VERSION_MAX 1

#endif /* _XENBUS_RANGE_SET_INTERFACE_H */
