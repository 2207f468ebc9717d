/*
 * XENBUS BALLOON interface (version 1): the memory balloon. Used inside
 * xenbus.sys only; a child PDO does not answer this GUID.
 *
 * Include <wdm.h> or <ntddk.h> first. Define _WINDLL to get only the GUID
 * and the version range.
 */
#ifndef _XENBUS_BALLOON_INTERFACE_H
#define _XENBUS_BALLOON_INTERFACE_H

#ifndef _WINDLL

/* Take a reference on the subsystem. */
typedef NTSTATUS (NTAPI *XENBUS_BALLOON_ACQUIRE)(PINTERFACE Interface);

/* Drop the reference taken by Acquire; the balloon must be empty on the
 * last release. */
typedef VOID (NTAPI *XENBUS_BALLOON_RELEASE)(PINTERFACE Interface);

/* Inflate or deflate towards Size 4 KiB pages. May stop early with
 * STATUS_RETRY, STATUS_NO_MEMORY or STATUS_UNSUCCESSFUL (fault injection).
 * IRQL < DISPATCH_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_BALLOON_ADJUST)(
    PINTERFACE Interface,
    ULONGLONG Size);

/* Current balloon size in pages. */
typedef ULONGLONG (NTAPI *XENBUS_BALLOON_GET_SIZE)(PINTERFACE Interface);

struct _XENBUS_BALLOON_INTERFACE_V1 {
    INTERFACE                   Interface;
    XENBUS_BALLOON_ACQUIRE      BalloonAcquire;
    XENBUS_BALLOON_RELEASE      BalloonRelease;
    XENBUS_BALLOON_ADJUST       BalloonAdjust;
    XENBUS_BALLOON_GET_SIZE     BalloonGetSize;
};

typedef struct _XENBUS_BALLOON_INTERFACE_V1 XENBUS_BALLOON_INTERFACE_V1, *PXENBUS_BALLOON_INTERFACE_V1;

/* The newest version. */
typedef struct _XENBUS_BALLOON_INTERFACE_V1 XENBUS_BALLOON_INTERFACE, *PXENBUS_BALLOON_INTERFACE;

/* XENBUS_BALLOON(Method, Interface, args...) calls Interface->BalloonMethod
 * with the interface as the first argument. */
#if defined(_MSC_VER) && !defined(__clang__) && (!defined(_MSVC_TRADITIONAL) || _MSVC_TRADITIONAL)
/* MSVC's traditional preprocessor drops the comma before an empty list. */
#define XENBUS_BALLOON(_Method, _Interface, ...) \
    (_Interface)->Balloon ## _Method((PINTERFACE)(_Interface), __VA_ARGS__)
#else
/* __VA_OPT__ rather than ", ##": the arguments may themselves be calls. */
#define XENBUS_BALLOON(_Method, _Interface, ...) \
    (_Interface)->Balloon ## _Method((PINTERFACE)(_Interface) __VA_OPT__(,) __VA_ARGS__)
#endif

#endif /* _WINDLL */

/* {D92AA810-BECB-4BD5-A3DA-BD03C135A297} */
DEFINE_GUID(GUID_XENBUS_BALLOON_INTERFACE,
            0xd92aa810, 0xbecb, 0x4bd5, 0xa3, 0xda, 0xbd, 0x03, 0xc1, 0x35, 0xa2, 0x97);

#define XENBUS_BALLOON_INTERFACE_VERSION_MIN 1
#define XENBUS_BALLOON_INTERFACE_VERSION_MAX 1

#endif /* _XENBUS_BALLOON_INTERFACE_H */
