/*
 * XENBUS CACHE interface (versions 1, 2): object caches with per-CPU
 * magazines over page-sized slabs. Served by xenbus.sys on every child PDO.
 * Every client callback (Ctor, Dtor, AcquireLock, ReleaseLock) is called at
 * DISPATCH_LEVEL with the Argument given to Create.
 *
 * Include <wdm.h> or <ntddk.h> first. Define _WINDLL to get only the GUID
 * and the version range.
 */
#ifndef _XENBUS_CACHE_INTERFACE_H
#define _XENBUS_CACHE_INTERFACE_H

#ifndef _WINDLL

/* Opaque cache handle, owned by the bus. */
typedef struct _XENBUS_CACHE XENBUS_CACHE, *PXENBUS_CACHE;

/* Construct Object the first time a slab slot is handed out; a failure
 * makes that Get return NULL. Objects stay constructed across Put/Get. */
typedef NTSTATUS (NTAPI *XENBUS_CACHE_CTOR)(PVOID Argument, PVOID Object);

/* Destroy Object when its slab is freed (trim or Destroy). */
typedef VOID (NTAPI *XENBUS_CACHE_DTOR)(PVOID Argument, PVOID Object);

/* The client's lock, taken around slab operations unless Locked is TRUE. */
typedef VOID (NTAPI *XENBUS_CACHE_ACQUIRE_LOCK)(PVOID Argument);
typedef VOID (NTAPI *XENBUS_CACHE_RELEASE_LOCK)(PVOID Argument);

/* Take a reference on the subsystem. IRQL <= DISPATCH_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_CACHE_ACQUIRE)(PINTERFACE Interface);

/* Drop the reference taken by Acquire. IRQL <= DISPATCH_LEVEL. */
typedef VOID (NTAPI *XENBUS_CACHE_RELEASE)(PINTERFACE Interface);

/* Version 1: Create with Cap = 0. */
typedef NTSTATUS (NTAPI *XENBUS_CACHE_CREATE_V1)(
    PINTERFACE Interface,
    PCSTR Name,
    ULONG Size,
    ULONG Reservation,
    XENBUS_CACHE_CTOR Ctor,
    XENBUS_CACHE_DTOR Dtor,
    XENBUS_CACHE_ACQUIRE_LOCK AcquireLock,
    XENBUS_CACHE_RELEASE_LOCK ReleaseLock,
    PVOID Argument,
    PXENBUS_CACHE *Cache);

/* Create a cache of Size-byte objects (rounded up to pointer size) with
 * Reservation objects pre-allocated and at most Cap objects (0: no limit).
 * STATUS_INVALID_PARAMETER when Reservation > Cap != 0. PASSIVE_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_CACHE_CREATE)(
    PINTERFACE Interface,
    PCSTR Name,
    ULONG Size,
    ULONG Reservation,
    ULONG Cap,
    XENBUS_CACHE_CTOR Ctor,
    XENBUS_CACHE_DTOR Dtor,
    XENBUS_CACHE_ACQUIRE_LOCK AcquireLock,
    XENBUS_CACHE_RELEASE_LOCK ReleaseLock,
    PVOID Argument,
    PXENBUS_CACHE *Cache);

/* An object, or NULL (cap reached, no memory, Ctor failed).
 * IRQL <= DISPATCH_LEVEL. */
typedef PVOID (NTAPI *XENBUS_CACHE_GET)(
    PINTERFACE Interface,
    PXENBUS_CACHE Cache,
    BOOLEAN Locked);

/* Return an object; its memory is not touched. IRQL <= DISPATCH_LEVEL. */
typedef VOID (NTAPI *XENBUS_CACHE_PUT)(
    PINTERFACE Interface,
    PXENBUS_CACHE Cache,
    PVOID Object,
    BOOLEAN Locked);

/* Destroy a cache whose objects have all been returned. */
typedef VOID (NTAPI *XENBUS_CACHE_DESTROY)(
    PINTERFACE Interface,
    PXENBUS_CACHE Cache);

struct _XENBUS_CACHE_INTERFACE_V1 {
    INTERFACE               Interface;
    XENBUS_CACHE_ACQUIRE    CacheAcquire;
    XENBUS_CACHE_RELEASE    CacheRelease;
    XENBUS_CACHE_CREATE_V1  CacheCreateVersion1;
    XENBUS_CACHE_GET        CacheGet;
    XENBUS_CACHE_PUT        CachePut;
    XENBUS_CACHE_DESTROY    CacheDestroy;
};

struct _XENBUS_CACHE_INTERFACE_V2 {
    INTERFACE               Interface;
    XENBUS_CACHE_ACQUIRE    CacheAcquire;
    XENBUS_CACHE_RELEASE    CacheRelease;
    XENBUS_CACHE_CREATE     CacheCreate;
    XENBUS_CACHE_GET        CacheGet;
    XENBUS_CACHE_PUT        CachePut;
    XENBUS_CACHE_DESTROY    CacheDestroy;
};

typedef struct _XENBUS_CACHE_INTERFACE_V1 XENBUS_CACHE_INTERFACE_V1, *PXENBUS_CACHE_INTERFACE_V1;
typedef struct _XENBUS_CACHE_INTERFACE_V2 XENBUS_CACHE_INTERFACE_V2, *PXENBUS_CACHE_INTERFACE_V2;

/* The newest version. */
typedef struct _XENBUS_CACHE_INTERFACE_V2 XENBUS_CACHE_INTERFACE, *PXENBUS_CACHE_INTERFACE;

/* XENBUS_CACHE(Method, Interface, args...) calls Interface->CacheMethod
 * with the interface as the first argument. */
#if defined(_MSC_VER) && !defined(__clang__) && (!defined(_MSVC_TRADITIONAL) || _MSVC_TRADITIONAL)
/* MSVC's traditional preprocessor drops the comma before an empty list. */
#define XENBUS_CACHE(_Method, _Interface, ...) \
    (_Interface)->Cache ## _Method((PINTERFACE)(_Interface), __VA_ARGS__)
#else
/* __VA_OPT__ rather than ", ##": the arguments may themselves be calls. */
#define XENBUS_CACHE(_Method, _Interface, ...) \
    (_Interface)->Cache ## _Method((PINTERFACE)(_Interface) __VA_OPT__(,) __VA_ARGS__)
#endif

#endif /* _WINDLL */

/* {A98DFD78-416A-4949-92A5-E084F2F4B44E} */
DEFINE_GUID(GUID_XENBUS_CACHE_INTERFACE,
            0xa98dfd78, 0x416a, 0x4949, 0x92, 0xa5, 0xe0, 0x84, 0xf2, 0xf4, 0xb4, 0x4e);

#define XENBUS_CACHE_INTERFACE_VERSION_MIN 1
#define XENBUS_CACHE_INTERFACE_VERSION_MAX 2

#endif /* _XENBUS_CACHE_INTERFACE_H */
