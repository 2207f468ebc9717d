/*
 * XENBUS UNPLUG interface (versions 1, 2, 3): requests to unplug QEMU's
 * emulated disks or NICs at the next boot. Served by xenbus.sys on every
 * child PDO. Every method runs at PASSIVE_LEVEL.
 *
 * The request is a counter in the registry (Services\XEN\Unplug\<DISKS|
 * NICS>) that xen.sys reads and deletes at each boot: a child that wants
 * the unplug to persist calls Request(Type, TRUE) during every boot.
 *
 * Include <wdm.h> or <ntddk.h> first. Define _WINDLL to get only the GUID
 * and the version range.
 */
#ifndef _XENBUS_UNPLUG_INTERFACE_H
#define _XENBUS_UNPLUG_INTERFACE_H

#ifndef _WINDLL

typedef enum _XENBUS_UNPLUG_DEVICE_TYPE {
    XENBUS_UNPLUG_DEVICE_TYPE_INVALID = 0,
    XENBUS_UNPLUG_DEVICE_TYPE_NICS,
    XENBUS_UNPLUG_DEVICE_TYPE_DISKS
} XENBUS_UNPLUG_DEVICE_TYPE, *PXENBUS_UNPLUG_DEVICE_TYPE;

/* Take a reference on the subsystem. */
typedef NTSTATUS (NTAPI *XENBUS_UNPLUG_ACQUIRE)(PINTERFACE Interface);

/* Drop the reference taken by Acquire. */
typedef VOID (NTAPI *XENBUS_UNPLUG_RELEASE)(PINTERFACE Interface);

/* Make TRUE: count one more request for Type at the next boot; FALSE:
 * withdraw one (never below zero). */
typedef VOID (NTAPI *XENBUS_UNPLUG_REQUEST)(
    PINTERFACE Interface,
    XENBUS_UNPLUG_DEVICE_TYPE Type,
    BOOLEAN Make);

/* Versions 2 and 3: whether Type was unplugged at this boot. */
typedef BOOLEAN (NTAPI *XENBUS_UNPLUG_IS_REQUESTED)(
    PINTERFACE Interface,
    XENBUS_UNPLUG_DEVICE_TYPE Type);

/* Version 3: TRUE when the start option XEN:BOOT_EMULATED=TRUE is set
 * (the boot disk stays emulated). Re-read at every call. */
typedef BOOLEAN (NTAPI *XENBUS_UNPLUG_BOOT_EMULATED)(PINTERFACE Interface);

/* Version 3: ask the monitor service to offer a reboot on behalf of
 * Module. */
typedef VOID (NTAPI *XENBUS_UNPLUG_REBOOT)(
    PINTERFACE Interface,
    PSTR Module);

struct _XENBUS_UNPLUG_INTERFACE_V1 {
    INTERFACE                   Interface;
    XENBUS_UNPLUG_ACQUIRE       UnplugAcquire;
    XENBUS_UNPLUG_RELEASE       UnplugRelease;
    XENBUS_UNPLUG_REQUEST       UnplugRequest;
};

struct _XENBUS_UNPLUG_INTERFACE_V2 {
    INTERFACE                   Interface;
    XENBUS_UNPLUG_ACQUIRE       UnplugAcquire;
    XENBUS_UNPLUG_RELEASE       UnplugRelease;
    XENBUS_UNPLUG_REQUEST       UnplugRequest;
    XENBUS_UNPLUG_IS_REQUESTED  UnplugIsRequested;
};

struct _XENBUS_UNPLUG_INTERFACE_V3 {
    INTERFACE                   Interface;
    XENBUS_UNPLUG_ACQUIRE       UnplugAcquire;
    XENBUS_UNPLUG_RELEASE       UnplugRelease;
    XENBUS_UNPLUG_REQUEST       UnplugRequest;
    XENBUS_UNPLUG_IS_REQUESTED  UnplugIsRequested;
    XENBUS_UNPLUG_BOOT_EMULATED UnplugBootEmulated;
    XENBUS_UNPLUG_REBOOT        UnplugReboot;
};

typedef struct _XENBUS_UNPLUG_INTERFACE_V1 XENBUS_UNPLUG_INTERFACE_V1, *PXENBUS_UNPLUG_INTERFACE_V1;
typedef struct _XENBUS_UNPLUG_INTERFACE_V2 XENBUS_UNPLUG_INTERFACE_V2, *PXENBUS_UNPLUG_INTERFACE_V2;
typedef struct _XENBUS_UNPLUG_INTERFACE_V3 XENBUS_UNPLUG_INTERFACE_V3, *PXENBUS_UNPLUG_INTERFACE_V3;

/* The newest version. */
typedef struct _XENBUS_UNPLUG_INTERFACE_V3 XENBUS_UNPLUG_INTERFACE, *PXENBUS_UNPLUG_INTERFACE;

/* XENBUS_UNPLUG(Method, Interface, args...) calls Interface->UnplugMethod
 * with the interface as the first argument. */
#if defined(_MSC_VER) && !defined(__clang__) && (!defined(_MSVC_TRADITIONAL) || _MSVC_TRADITIONAL)
/* MSVC's traditional preprocessor drops the comma before an empty list. */
#define XENBUS_UNPLUG(_Method, _Interface, ...) \
    (_Interface)->Unplug ## _Method((PINTERFACE)(_Interface), __VA_ARGS__)
#else
/* __VA_OPT__ rather than ", ##": the arguments may themselves be calls. */
#define XENBUS_UNPLUG(_Method, _Interface, ...) \
    (_Interface)->Unplug ## _Method((PINTERFACE)(_Interface) __VA_OPT__(,) __VA_ARGS__)
#endif

#endif /* _WINDLL */

/* {73DB6517-3D06-4937-989F-199B7501E229} */
DEFINE_GUID(GUID_XENBUS_UNPLUG_INTERFACE,
            0x73db6517, 0x3d06, 0x4937, 0x98, 0x9f, 0x19, 0x9b, 0x75, 0x01, 0xe2, 0x29);

#define XENBUS_UNPLUG_INTERFACE_VERSION_MIN 1
#define XENBUS_UNPLUG_INTERFACE_VERSION_MAX 3

#endif /* _XENBUS_UNPLUG_INTERFACE_H */
