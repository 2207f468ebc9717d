/*
 * XENFILT EMULATED interface (versions 1, 2, 3): which emulated devices
 * and disks QEMU presents. Answered by xenfilt.sys; a xenbus child PDO
 * forwards the query down the xenbus FDO's stack, so children ask their
 * PDO as for the XENBUS_* interfaces. Every method takes a spin lock:
 * IRQL <= DISPATCH_LEVEL.
 *
 * The query methods declare their first parameter as PVOID Context, but
 * callers pass the interface itself (as the XENFILT_EMULATED macro does),
 * exactly as for every other interface.
 *
 * Include <wdm.h> or <ntddk.h> first. Define _WINDLL to get only the GUID
 * and the version range.
 */
#ifndef _XENFILT_EMULATED_INTERFACE_H
#define _XENFILT_EMULATED_INTERFACE_H

#ifndef _WINDLL

/* How xenfilt ranked a platform device (forced activation by the
 * Precedence registry key). */
typedef enum _XENBUS_EMULATED_ACTIVATION_STATUS {
    XENBUS_EMULATED_ACTIVATE_NEUTRAL = 0,
    XENBUS_EMULATED_FORCE_ACTIVATED,
    XENBUS_EMULATED_FORCE_DEACTIVATED
} XENBUS_EMULATED_ACTIVATION_STATUS, *PXENBUS_EMULATED_ACTIVATION_STATUS;

/* Take a reference (a count only). */
typedef NTSTATUS (NTAPI *XENFILT_EMULATED_ACQUIRE)(PINTERFACE Interface);

/* Drop the reference taken by Acquire. */
typedef VOID (NTAPI *XENFILT_EMULATED_RELEASE)(PINTERFACE Interface);

/* Versions 1 and 2: IsDevicePresent without the activation status. */
typedef BOOLEAN (NTAPI *XENFILT_EMULATED_IS_DEVICE_PRESENT_V1)(
    PVOID Context,
    PSTR DeviceID,
    PSTR InstanceID);

/* Version 3: TRUE if an emulated PCI device with this PnP DeviceID
 * (case-insensitive; NULL: the FORCE_ACTIVATED device) and InstanceID
 * (NULL: any) exists. *IsForceActivated (optional) receives its status,
 * NEUTRAL when none matched. */
typedef BOOLEAN (NTAPI *XENFILT_EMULATED_IS_DEVICE_PRESENT)(
    PVOID Context,
    PSTR DeviceID,
    PSTR InstanceID,
    PXENBUS_EMULATED_ACTIVATION_STATUS IsForceActivated);

/* Version 1: Target is taken as the PV disk index; Controller and Lun are
 * ignored. */
typedef BOOLEAN (NTAPI *XENFILT_EMULATED_IS_DISK_PRESENT_V1)(
    PVOID Context,
    ULONG Controller,
    ULONG Target,
    ULONG Lun);

/* Versions 2 and 3: TRUE if emulated IDE disk Index ((controller << 1) |
 * target) exists, or if any emulated NVMe controller does. */
typedef BOOLEAN (NTAPI *XENFILT_EMULATED_IS_DISK_PRESENT)(
    PVOID Context,
    ULONG Index);

struct _XENFILT_EMULATED_INTERFACE_V1 {
    INTERFACE                               Interface;
    XENFILT_EMULATED_ACQUIRE                EmulatedAcquire;
    XENFILT_EMULATED_RELEASE                EmulatedRelease;
    XENFILT_EMULATED_IS_DEVICE_PRESENT_V1   EmulatedIsDevicePresentVersion1;
    XENFILT_EMULATED_IS_DISK_PRESENT_V1     EmulatedIsDiskPresentVersion1;
};

struct _XENFILT_EMULATED_INTERFACE_V2 {
    INTERFACE                               Interface;
    XENFILT_EMULATED_ACQUIRE                EmulatedAcquire;
    XENFILT_EMULATED_RELEASE                EmulatedRelease;
    XENFILT_EMULATED_IS_DEVICE_PRESENT_V1   EmulatedIsDevicePresentVersion1;
    XENFILT_EMULATED_IS_DISK_PRESENT        EmulatedIsDiskPresent;
};

struct _XENFILT_EMULATED_INTERFACE_V3 {
    INTERFACE                               Interface;
    XENFILT_EMULATED_ACQUIRE                EmulatedAcquire;
    XENFILT_EMULATED_RELEASE                EmulatedRelease;
    XENFILT_EMULATED_IS_DEVICE_PRESENT      EmulatedIsDevicePresent;
    XENFILT_EMULATED_IS_DISK_PRESENT        EmulatedIsDiskPresent;
};

typedef struct _XENFILT_EMULATED_INTERFACE_V1 XENFILT_EMULATED_INTERFACE_V1, *PXENFILT_EMULATED_INTERFACE_V1;
typedef struct _XENFILT_EMULATED_INTERFACE_V2 XENFILT_EMULATED_INTERFACE_V2, *PXENFILT_EMULATED_INTERFACE_V2;
typedef struct _XENFILT_EMULATED_INTERFACE_V3 XENFILT_EMULATED_INTERFACE_V3, *PXENFILT_EMULATED_INTERFACE_V3;

/* The newest version. */
typedef struct _XENFILT_EMULATED_INTERFACE_V3 XENFILT_EMULATED_INTERFACE, *PXENFILT_EMULATED_INTERFACE;

/* XENFILT_EMULATED(Method, Interface, args...) calls
 * Interface->EmulatedMethod with the interface as the first argument. */
#if defined(_MSC_VER) && !defined(__clang__) && (!defined(_MSVC_TRADITIONAL) || _MSVC_TRADITIONAL)
/* MSVC's traditional preprocessor drops the comma before an empty list. */
#define XENFILT_EMULATED(_Method, _Interface, ...) \
    (_Interface)->Emulated ## _Method((PINTERFACE)(_Interface), __VA_ARGS__)
#else
/* __VA_OPT__ rather than ", ##": the arguments may themselves be calls. */
#define XENFILT_EMULATED(_Method, _Interface, ...) \
    (_Interface)->Emulated ## _Method((PINTERFACE)(_Interface) __VA_OPT__(,) __VA_ARGS__)
#endif

#endif /* _WINDLL */

/* {959027A1-FCCE-4E78-BCF4-637384F499C5} */
DEFINE_GUID(GUID_XENFILT_EMULATED_INTERFACE,
            0x959027a1, 0xfcce, 0x4e78, 0xbc, 0xf4, 0x63, 0x73, 0x84, 0xf4, 0x99, 0xc5);

#define XENFILT_EMULATED_INTERFACE_VERSION_MIN 1
#define XENFILT_EMULATED_INTERFACE_VERSION_MAX 3

#endif /* _XENFILT_EMULATED_INTERFACE_H */
