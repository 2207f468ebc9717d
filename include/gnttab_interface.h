/*
 * XENBUS GNTTAB interface (versions 2, 3, 4): grant table (version 1
 * entries). Served by xenbus.sys on every child PDO.
 *
 * Include <wdm.h> or <ntddk.h> first. Define _WINDLL to get only the GUID
 * and the version range.
 */
#ifndef _XENBUS_GNTTAB_INTERFACE_H
#define _XENBUS_GNTTAB_INTERFACE_H

#include "cache_interface.h"

/* Grant references the toolstack sets up for the console and store rings;
 * references below 32 are never handed out by the bus. */
#define XENBUS_GNTTAB_CONSOLE_REFERENCE 0
#define XENBUS_GNTTAB_STORE_REFERENCE   1

#ifndef _WINDLL

/* Opaque handles, owned by the bus. */
typedef struct _XENBUS_GNTTAB_CACHE XENBUS_GNTTAB_CACHE, *PXENBUS_GNTTAB_CACHE;
typedef struct _XENBUS_GNTTAB_ENTRY XENBUS_GNTTAB_ENTRY, *PXENBUS_GNTTAB_ENTRY;

/* Take a reference on the subsystem. IRQL <= DISPATCH_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_GNTTAB_ACQUIRE)(PINTERFACE Interface);

/* Drop the reference taken by Acquire. IRQL <= DISPATCH_LEVEL. */
typedef VOID (NTAPI *XENBUS_GNTTAB_RELEASE)(PINTERFACE Interface);

/* Versions 2 and 3: CreateCache with Cap = 0. */
typedef NTSTATUS (NTAPI *XENBUS_GNTTAB_CREATE_CACHE_V1)(
    PINTERFACE Interface,
    PCSTR Name,
    ULONG Reservation,
    XENBUS_CACHE_ACQUIRE_LOCK AcquireLock,
    XENBUS_CACHE_RELEASE_LOCK ReleaseLock,
    PVOID Argument,
    PXENBUS_GNTTAB_CACHE *Cache);

/* Create a cache of grant entries (a CACHE named "<Name>_gnttab"); each
 * entry owns one grant reference. Lock callbacks as in CACHE. */
typedef NTSTATUS (NTAPI *XENBUS_GNTTAB_CREATE_CACHE)(
    PINTERFACE Interface,
    PCSTR Name,
    ULONG Reservation,
    ULONG Cap,
    XENBUS_CACHE_ACQUIRE_LOCK AcquireLock,
    XENBUS_CACHE_RELEASE_LOCK ReleaseLock,
    PVOID Argument,
    PXENBUS_GNTTAB_CACHE *Cache);

/* Grant Domain access to page Pfn. STATUS_INSUFFICIENT_RESOURCES when no
 * entry is available. IRQL <= DISPATCH_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_GNTTAB_PERMIT_FOREIGN_ACCESS)(
    PINTERFACE Interface,
    PXENBUS_GNTTAB_CACHE Cache,
    BOOLEAN Locked,
    USHORT Domain,
    PFN_NUMBER Pfn,
    BOOLEAN ReadOnly,
    PXENBUS_GNTTAB_ENTRY *Entry);

/* End the grant and return the entry to the cache. STATUS_UNSUCCESSFUL if
 * the remote end keeps the page in use (the entry is then not reused).
 * IRQL <= DISPATCH_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_GNTTAB_REVOKE_FOREIGN_ACCESS)(
    PINTERFACE Interface,
    PXENBUS_GNTTAB_CACHE Cache,
    BOOLEAN Locked,
    PXENBUS_GNTTAB_ENTRY Entry);

/* The entry's grant reference (always >= 32). */
typedef ULONG (NTAPI *XENBUS_GNTTAB_GET_REFERENCE)(
    PINTERFACE Interface,
    PXENBUS_GNTTAB_ENTRY Entry);

/* Versions 3 and 4: frame and read-only flag of any reference inside the
 * table (both outputs optional). STATUS_INVALID_PARAMETER beyond it. */
typedef NTSTATUS (NTAPI *XENBUS_GNTTAB_QUERY_REFERENCE)(
    PINTERFACE Interface,
    ULONG Reference,
    PPFN_NUMBER Pfn,
    PBOOLEAN ReadOnly);

/* Destroy a cache whose entries have all been revoked. */
typedef VOID (NTAPI *XENBUS_GNTTAB_DESTROY_CACHE)(
    PINTERFACE Interface,
    PXENBUS_GNTTAB_CACHE Cache);

/* Map NumberPages grants of Domain at consecutive guest-physical pages;
 * *Address receives the first. All or nothing. */
typedef NTSTATUS (NTAPI *XENBUS_GNTTAB_MAP_FOREIGN_PAGES)(
    PINTERFACE Interface,
    USHORT Domain,
    ULONG NumberPages,
    PULONG References,
    BOOLEAN ReadOnly,
    PHYSICAL_ADDRESS *Address);

/* Undo MapForeignPages given the address it returned. */
typedef NTSTATUS (NTAPI *XENBUS_GNTTAB_UNMAP_FOREIGN_PAGES)(
    PINTERFACE Interface,
    PHYSICAL_ADDRESS Address);

struct _XENBUS_GNTTAB_INTERFACE_V2 {
    INTERFACE                           Interface;
    XENBUS_GNTTAB_ACQUIRE               GnttabAcquire;
    XENBUS_GNTTAB_RELEASE               GnttabRelease;
    XENBUS_GNTTAB_CREATE_CACHE_V1       GnttabCreateCacheVersion1;
    XENBUS_GNTTAB_PERMIT_FOREIGN_ACCESS GnttabPermitForeignAccess;
    XENBUS_GNTTAB_REVOKE_FOREIGN_ACCESS GnttabRevokeForeignAccess;
    XENBUS_GNTTAB_GET_REFERENCE         GnttabGetReference;
    XENBUS_GNTTAB_DESTROY_CACHE         GnttabDestroyCache;
    XENBUS_GNTTAB_MAP_FOREIGN_PAGES     GnttabMapForeignPages;
    XENBUS_GNTTAB_UNMAP_FOREIGN_PAGES   GnttabUnmapForeignPages;
};

struct _XENBUS_GNTTAB_INTERFACE_V3 {
    INTERFACE                           Interface;
    XENBUS_GNTTAB_ACQUIRE               GnttabAcquire;
    XENBUS_GNTTAB_RELEASE               GnttabRelease;
    XENBUS_GNTTAB_CREATE_CACHE_V1       GnttabCreateCacheVersion1;
    XENBUS_GNTTAB_PERMIT_FOREIGN_ACCESS GnttabPermitForeignAccess;
    XENBUS_GNTTAB_REVOKE_FOREIGN_ACCESS GnttabRevokeForeignAccess;
    XENBUS_GNTTAB_GET_REFERENCE         GnttabGetReference;
    XENBUS_GNTTAB_QUERY_REFERENCE       GnttabQueryReference;
    XENBUS_GNTTAB_DESTROY_CACHE         GnttabDestroyCache;
    XENBUS_GNTTAB_MAP_FOREIGN_PAGES     GnttabMapForeignPages;
    XENBUS_GNTTAB_UNMAP_FOREIGN_PAGES   GnttabUnmapForeignPages;
};

struct _XENBUS_GNTTAB_INTERFACE_V4 {
    INTERFACE                           Interface;
    XENBUS_GNTTAB_ACQUIRE               GnttabAcquire;
    XENBUS_GNTTAB_RELEASE               GnttabRelease;
    XENBUS_GNTTAB_CREATE_CACHE          GnttabCreateCache;
    XENBUS_GNTTAB_PERMIT_FOREIGN_ACCESS GnttabPermitForeignAccess;
    XENBUS_GNTTAB_REVOKE_FOREIGN_ACCESS GnttabRevokeForeignAccess;
    XENBUS_GNTTAB_GET_REFERENCE         GnttabGetReference;
    XENBUS_GNTTAB_QUERY_REFERENCE       GnttabQueryReference;
    XENBUS_GNTTAB_DESTROY_CACHE         GnttabDestroyCache;
    XENBUS_GNTTAB_MAP_FOREIGN_PAGES     GnttabMapForeignPages;
    XENBUS_GNTTAB_UNMAP_FOREIGN_PAGES   GnttabUnmapForeignPages;
};

typedef struct _XENBUS_GNTTAB_INTERFACE_V2 XENBUS_GNTTAB_INTERFACE_V2, *PXENBUS_GNTTAB_INTERFACE_V2;
typedef struct _XENBUS_GNTTAB_INTERFACE_V3 XENBUS_GNTTAB_INTERFACE_V3, *PXENBUS_GNTTAB_INTERFACE_V3;
typedef struct _XENBUS_GNTTAB_INTERFACE_V4 XENBUS_GNTTAB_INTERFACE_V4, *PXENBUS_GNTTAB_INTERFACE_V4;

/* The newest version. */
typedef struct _XENBUS_GNTTAB_INTERFACE_V4 XENBUS_GNTTAB_INTERFACE, *PXENBUS_GNTTAB_INTERFACE;

/* XENBUS_GNTTAB(Method, Interface, args...) calls Interface->GnttabMethod
 * with the interface as the first argument. */
#if defined(_MSC_VER) && !defined(__clang__) && (!defined(_MSVC_TRADITIONAL) || _MSVC_TRADITIONAL)
/* MSVC's traditional preprocessor drops the comma before an empty list. */
#define XENBUS_GNTTAB(_Method, _Interface, ...) \
    (_Interface)->Gnttab ## _Method((PINTERFACE)(_Interface), __VA_ARGS__)
#else
/* __VA_OPT__ rather than ", ##": the arguments may themselves be calls. */
#define XENBUS_GNTTAB(_Method, _Interface, ...) \
    (_Interface)->Gnttab ## _Method((PINTERFACE)(_Interface) __VA_OPT__(,) __VA_ARGS__)
#endif

#endif /* _WINDLL */

/* {763679C5-E5C2-4A6D-8B88-6BB02EC42D8E} */
DEFINE_GUID(GUID_XENBUS_GNTTAB_INTERFACE,
            0x763679c5, 0xe5c2, 0x4a6d, 0x8b, 0x88, 0x6b, 0xb0, 0x2e, 0xc4, 0x2d, 0x8e);

#define XENBUS_GNTTAB_INTERFACE_VERSION_MIN 2
#define XENBUS_GNTTAB_INTERFACE_VERSION_MAX 4

#endif /* _XENBUS_GNTTAB_INTERFACE_H */
