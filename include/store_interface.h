/*
 * XENBUS STORE interface (version 2): the xenstore client. Served by
 * xenbus.sys on every child PDO.
 *
 * Paths: Prefix + "/" + Node when Prefix is not NULL, else Node; a path not
 * starting with '/' is relative to /local/domain/<domid>. Requests are
 * synchronous and callable at IRQL <= DISPATCH_LEVEL. xenstored errors map
 * to NTSTATUS values (ENOENT: STATUS_OBJECT_NAME_NOT_FOUND, EAGAIN:
 * STATUS_RETRY, EACCES: STATUS_ACCESS_DENIED, ...; see INTERFACES.md).
 * After a resume, watches and transactions are inactive: every watch's
 * event is set once, and clients remove and re-add their watches.
 *
 * Include <wdm.h> or <ntddk.h> first. Define _WINDLL to get only the GUID
 * and the version range.
 */
#ifndef _XENBUS_STORE_INTERFACE_H
#define _XENBUS_STORE_INTERFACE_H

#ifndef _WINDLL

/* Opaque handles, owned by the bus. */
typedef struct _XENBUS_STORE_TRANSACTION XENBUS_STORE_TRANSACTION, *PXENBUS_STORE_TRANSACTION;
typedef struct _XENBUS_STORE_WATCH XENBUS_STORE_WATCH, *PXENBUS_STORE_WATCH;

/* Access a domain has to a node; READ | WRITE is allowed. */
typedef enum _XENBUS_STORE_PERMISSION_MASK {
    XENBUS_STORE_PERM_NONE = 0,
    XENBUS_STORE_PERM_READ = 1,
    XENBUS_STORE_PERM_WRITE = 2
} XENBUS_STORE_PERMISSION_MASK, *PXENBUS_STORE_PERMISSION_MASK;

/* One entry of a permission list; the first entry names the owner. */
typedef struct _XENBUS_STORE_PERMISSION {
    USHORT                          Domain;
    XENBUS_STORE_PERMISSION_MASK    Mask;
} XENBUS_STORE_PERMISSION, *PXENBUS_STORE_PERMISSION;

/* Take a reference on the subsystem. IRQL <= DISPATCH_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_STORE_ACQUIRE)(PINTERFACE Interface);

/* Drop the reference taken by Acquire; every watch, transaction and
 * buffer must be gone first. */
typedef VOID (NTAPI *XENBUS_STORE_RELEASE)(PINTERFACE Interface);

/* Free a buffer returned by Read or Directory. */
typedef VOID (NTAPI *XENBUS_STORE_FREE)(PINTERFACE Interface, PSTR Buffer);

/* XS_READ. *Buffer receives the value, NUL-terminated (twice); free it
 * with Free. Transaction may be NULL. */
typedef NTSTATUS (NTAPI *XENBUS_STORE_READ)(
    PINTERFACE Interface,
    PXENBUS_STORE_TRANSACTION Transaction,
    PSTR Prefix,
    PSTR Node,
    PSTR *Buffer);

/* XS_WRITE of the formatted value (at most 1023 characters, else
 * STATUS_INVALID_BUFFER_SIZE); creates the node if needed. */
typedef NTSTATUS (__cdecl *XENBUS_STORE_PRINTF)(
    PINTERFACE Interface,
    PXENBUS_STORE_TRANSACTION Transaction,
    PSTR Prefix,
    PSTR Node,
    PCSTR Format,
    ...);

/* XS_SET_PERMS with NumberPermissions entries of Permissions.
 * STATUS_INVALID_PARAMETER for a mask outside NONE..READ|WRITE. */
typedef NTSTATUS (NTAPI *XENBUS_STORE_PERMISSIONS_SET)(
    PINTERFACE Interface,
    PXENBUS_STORE_TRANSACTION Transaction,
    PSTR Prefix,
    PSTR Node,
    PXENBUS_STORE_PERMISSION Permissions,
    ULONG NumberPermissions);

/* XS_RM. */
typedef NTSTATUS (NTAPI *XENBUS_STORE_REMOVE)(
    PINTERFACE Interface,
    PXENBUS_STORE_TRANSACTION Transaction,
    PSTR Prefix,
    PSTR Node);

/* XS_DIRECTORY. *Buffer receives the names, each NUL-terminated, with an
 * extra NUL at the end; free it with Free. An empty directory gives
 * STATUS_OBJECT_PATH_NOT_FOUND. */
typedef NTSTATUS (NTAPI *XENBUS_STORE_DIRECTORY)(
    PINTERFACE Interface,
    PXENBUS_STORE_TRANSACTION Transaction,
    PSTR Prefix,
    PSTR Node,
    PSTR *Buffer);

/* XS_TRANSACTION_START. On failure *Transaction is NULL. */
typedef NTSTATUS (NTAPI *XENBUS_STORE_TRANSACTION_START)(
    PINTERFACE Interface,
    PXENBUS_STORE_TRANSACTION *Transaction);

/* XS_TRANSACTION_END, committing when Commit is TRUE. STATUS_RETRY on a
 * conflict or after a resume: start again. The handle is freed on success
 * and on STATUS_RETRY. */
typedef NTSTATUS (NTAPI *XENBUS_STORE_TRANSACTION_END)(
    PINTERFACE Interface,
    PXENBUS_STORE_TRANSACTION Transaction,
    BOOLEAN Commit);

/* XS_WATCH: Event is set (from a DPC) each time the watch fires, including
 * the initial firing xenstored sends. */
typedef NTSTATUS (NTAPI *XENBUS_STORE_WATCH_ADD)(
    PINTERFACE Interface,
    PSTR Prefix,
    PSTR Node,
    PKEVENT Event,
    PXENBUS_STORE_WATCH *Watch);

/* XS_UNWATCH (skipped for a watch made inactive by a resume), then free. */
typedef NTSTATUS (NTAPI *XENBUS_STORE_WATCH_REMOVE)(
    PINTERFACE Interface,
    PXENBUS_STORE_WATCH Watch);

/* Process the ring now, for callers spinning at DISPATCH_LEVEL.
 * Must be called at DISPATCH_LEVEL. */
typedef VOID (NTAPI *XENBUS_STORE_POLL)(PINTERFACE Interface);

struct _XENBUS_STORE_INTERFACE_V2 {
    INTERFACE                       Interface;
    XENBUS_STORE_ACQUIRE            StoreAcquire;
    XENBUS_STORE_RELEASE            StoreRelease;
    XENBUS_STORE_FREE               StoreFree;
    XENBUS_STORE_READ               StoreRead;
    XENBUS_STORE_PRINTF             StorePrintf;
    XENBUS_STORE_PERMISSIONS_SET    StorePermissionsSet;
    XENBUS_STORE_REMOVE             StoreRemove;
    XENBUS_STORE_DIRECTORY          StoreDirectory;
    XENBUS_STORE_TRANSACTION_START  StoreTransactionStart;
    XENBUS_STORE_TRANSACTION_END    StoreTransactionEnd;
    XENBUS_STORE_WATCH_ADD          StoreWatchAdd;
    XENBUS_STORE_WATCH_REMOVE       StoreWatchRemove;
    XENBUS_STORE_POLL               StorePoll;
};

typedef struct _XENBUS_STORE_INTERFACE_V2 XENBUS_STORE_INTERFACE_V2, *PXENBUS_STORE_INTERFACE_V2;

/* The newest version. */
typedef struct _XENBUS_STORE_INTERFACE_V2 XENBUS_STORE_INTERFACE, *PXENBUS_STORE_INTERFACE;

/* XENBUS_STORE(Method, Interface, args...) calls Interface->StoreMethod
 * with the interface as the first argument. */
#if defined(_MSC_VER) && !defined(__clang__) && (!defined(_MSVC_TRADITIONAL) || _MSVC_TRADITIONAL)
/* MSVC's traditional preprocessor drops the comma before an empty list. */
#define XENBUS_STORE(_Method, _Interface, ...) \
    (_Interface)->Store ## _Method((PINTERFACE)(_Interface), __VA_ARGS__)
#else
/* __VA_OPT__ rather than ", ##": the arguments may themselves be calls. */
#define XENBUS_STORE(_Method, _Interface, ...) \
    (_Interface)->Store ## _Method((PINTERFACE)(_Interface) __VA_OPT__(,) __VA_ARGS__)
#endif

#endif /* _WINDLL */

/* {86824C3B-D34E-4753-B281-2F1E3AD214D7} */
DEFINE_GUID(GUID_XENBUS_STORE_INTERFACE,
            0x86824c3b, 0xd34e, 0x4753, 0xb2, 0x81, 0x2f, 0x1e, 0x3a, 0xd2, 0x14, 0xd7);

#define XENBUS_STORE_INTERFACE_VERSION_MIN 2
#define XENBUS_STORE_INTERFACE_VERSION_MAX 2

#endif /* _XENBUS_STORE_INTERFACE_H */
