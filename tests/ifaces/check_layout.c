/*
 * Compile-time check of the include/ headers against the contract
 * (shared/spec/interfaces.md), built by tests/stages/55-ifaces.sh with the
 * x64 and x86 mingw-w64 compilers and the DDK headers. Every failed
 * assertion names its struct as "LAYOUT <TAG>:" so the stage can count
 * failures per interface version; nothing here runs.
 *
 * Per interface version: sizeof equals the contract's size for this
 * architecture and 4 + N pointer slots; member k (1-based) is the
 * contract's k-th method, sits at 32 + 8(k-1) (x64) / 16 + 4(k-1) (x86),
 * and has the contract's signature and calling convention (NTAPI, or
 * __cdecl for variadic methods: stdcall vs cdecl is part of the type on
 * x86, so a wrong convention fails here).
 */
#include <ntddk.h>
#include <initguid.h>
#include <stddef.h>

#include "suspend_interface.h"
#include "shared_info_interface.h"
#include "evtchn_interface.h"
#include "debug_interface.h"
#include "store_interface.h"
#include "range_set_interface.h"
#include "cache_interface.h"
#include "gnttab_interface.h"
#include "unplug_interface.h"
#include "console_interface.h"
#include "balloon_interface.h"
#include "emulated_interface.h"

#include "contract.h"

#define PTR ((int)sizeof(void *))
#define SLOT(k) (4 * PTR + PTR * ((k) - 1))
#define STR_(x) #x
#define STR(x) STR_(x)
#define LAYOUT_ASSERT(tag, cond, what) _Static_assert(cond, "LAYOUT " STR(tag) ": " what)

_Static_assert(sizeof(void *) == 8 || sizeof(void *) == 4, "pointer size");

/* The contract's numbers for each version, as constants. */
#define CONTRACT_ENUM(TAG, ITF, VER, N, S64, S86) \
	N_##TAG = N, S64_##TAG = S64, S86_##TAG = S86,
enum { CONTRACT_VERSIONS(CONTRACT_ENUM) CONTRACT_ENUM_END };

/* The INTERFACE header (section 0.1), checked once per architecture. */
LAYOUT_ASSERT(INTERFACE, offsetof(INTERFACE, Size) == 0, "Size");
LAYOUT_ASSERT(INTERFACE, offsetof(INTERFACE, Version) == 2, "Version");
LAYOUT_ASSERT(INTERFACE, offsetof(INTERFACE, Context) == (size_t)PTR, "Context");
LAYOUT_ASSERT(INTERFACE, offsetof(INTERFACE, InterfaceReference) == (size_t)(2 * PTR), "InterfaceReference");
LAYOUT_ASSERT(INTERFACE, offsetof(INTERFACE, InterfaceDereference) == (size_t)(3 * PTR), "InterfaceDereference");
LAYOUT_ASSERT(INTERFACE, sizeof(INTERFACE) == (size_t)(4 * PTR), "sizeof");

/* Start a version's block: T is the struct, TAG its contract row (both
 * #defined around each block; the extra level expands them before ##). */
#define BEGIN() BEGIN_EXPANDED(TAG, T)
#define BEGIN_EXPANDED(tag, type) BEGIN_(tag, type)
#define BEGIN_(tag, type)                                                        \
	enum { CHECKED_##tag = 1 };                                             \
	LAYOUT_ASSERT(tag, offsetof(type, Interface) == 0, "INTERFACE first");         \
	LAYOUT_ASSERT(tag, sizeof(type) == (size_t)(PTR == 8 ? S64_##tag : S86_##tag), \
	       "sizeof differs from the contract's size table");                 \
	LAYOUT_ASSERT(tag, sizeof(type) == (size_t)SLOT(N_##tag + 1),                  \
	       "sizeof is not 4 + N pointer slots");

/* Member k: offset, and type = the contract's signature. */
#define MEMBER_CC(tag, type, k, name, cc, ret, args)                            \
	LAYOUT_ASSERT(tag, offsetof(type, name) == (size_t)SLOT(k), #name " offset");  \
	LAYOUT_ASSERT(tag, __builtin_types_compatible_p(__typeof__(((type *)0)->name), \
						 ret (cc *) args),              \
	       #name " signature");
#define M(k, name, ret, args) MEMBER_CC(TAG, T, k, name, NTAPI, ret, args)
#define V(k, name, ret, args) MEMBER_CC(TAG, T, k, name, __cdecl, ret, args)

#define ITF PINTERFACE

/* ---- SUSPEND ---- */
#define T XENBUS_SUSPEND_INTERFACE_V1
#define TAG SUSPEND_V1
BEGIN()
M(1, SuspendAcquire, NTSTATUS, (ITF))
M(2, SuspendRelease, VOID, (ITF))
M(3, SuspendRegister, NTSTATUS, (ITF, XENBUS_SUSPEND_CALLBACK_TYPE,
				 VOID (NTAPI *)(PVOID), PVOID, PXENBUS_SUSPEND_CALLBACK *))
M(4, SuspendDeregister, VOID, (ITF, PXENBUS_SUSPEND_CALLBACK))
M(5, SuspendTrigger, NTSTATUS, (ITF))
M(6, SuspendGetCount, ULONG, (ITF))
#undef T
#undef TAG
_Static_assert(SUSPEND_CALLBACK_TYPE_INVALID == 0 && SUSPEND_CALLBACK_EARLY == 1 &&
	       SUSPEND_CALLBACK_LATE == 2 && sizeof(XENBUS_SUSPEND_CALLBACK_TYPE) == 4,
	       "LAYOUT SUSPEND_V1: XENBUS_SUSPEND_CALLBACK_TYPE");

/* ---- SHARED_INFO ---- */
#define SI_EVENT BOOLEAN (NTAPI *)(PVOID, ULONG)
#define SHARED_INFO_COMMON(u)                                           \
	M(1, SharedInfoAcquire, NTSTATUS, (ITF))                        \
	M(2, SharedInfoRelease, VOID, (ITF))                            \
	M(3 + (u), SharedInfoUpcallPending, BOOLEAN, (ITF, ULONG))      \
	M(4 + (u), SharedInfoEvtchnPoll, BOOLEAN, (ITF, ULONG, SI_EVENT, PVOID)) \
	M(5 + (u), SharedInfoEvtchnAck, VOID, (ITF, ULONG))             \
	M(6 + (u), SharedInfoEvtchnMask, VOID, (ITF, ULONG))            \
	M(7 + (u), SharedInfoEvtchnUnmask, BOOLEAN, (ITF, ULONG))

#define T XENBUS_SHARED_INFO_INTERFACE_V2
#define TAG SHARED_INFO_V2
BEGIN()
SHARED_INFO_COMMON(0)
M(8, SharedInfoGetTimeVersion2, LARGE_INTEGER, (ITF))
#undef T
#undef TAG

#define T XENBUS_SHARED_INFO_INTERFACE_V3
#define TAG SHARED_INFO_V3
BEGIN()
SHARED_INFO_COMMON(0)
M(8, SharedInfoGetTime, VOID, (ITF, PLARGE_INTEGER, PBOOLEAN))
#undef T
#undef TAG

#define T XENBUS_SHARED_INFO_INTERFACE_V4
#define TAG SHARED_INFO_V4
BEGIN()
M(3, SharedInfoUpcallSupported, BOOLEAN, (ITF, ULONG))
SHARED_INFO_COMMON(1)
M(9, SharedInfoGetTime, VOID, (ITF, PLARGE_INTEGER, PBOOLEAN))
#undef T
#undef TAG

/* ---- EVTCHN ---- */
#define CH PXENBUS_EVTCHN_CHANNEL
#define EVTCHN_HEAD                                                     \
	M(1, EvtchnAcquire, NTSTATUS, (ITF))                            \
	M(2, EvtchnRelease, VOID, (ITF))                                \
	V(3, EvtchnOpen, CH, (ITF, XENBUS_EVTCHN_TYPE,                  \
			      BOOLEAN (NTAPI *)(PKINTERRUPT, PVOID), PVOID, ...)) \
	M(4, EvtchnBind, NTSTATUS, (ITF, CH, USHORT, UCHAR))
#define EVTCHN_TAIL_V5                                                  \
	M(7, EvtchnTrigger, VOID, (ITF, CH))                            \
	M(8, EvtchnWaitVersion5, NTSTATUS, (ITF, CH, PLARGE_INTEGER))   \
	M(9, EvtchnGetPort, ULONG, (ITF, CH))                           \
	M(10, EvtchnClose, VOID, (ITF, CH))
#define EVTCHN_TAIL_V7                                                  \
	M(6, EvtchnSend, VOID, (ITF, CH))                               \
	M(7, EvtchnTrigger, VOID, (ITF, CH))                            \
	M(8, EvtchnGetCount, ULONG, (ITF, CH))                          \
	M(9, EvtchnWait, NTSTATUS, (ITF, CH, ULONG, PLARGE_INTEGER))    \
	M(10, EvtchnGetPort, ULONG, (ITF, CH))                          \
	M(11, EvtchnClose, VOID, (ITF, CH))

#define T XENBUS_EVTCHN_INTERFACE_V5
#define TAG EVTCHN_V5
BEGIN()
EVTCHN_HEAD
M(5, EvtchnUnmaskVersion4, VOID, (ITF, CH, BOOLEAN))
M(6, EvtchnSendVersion1, VOID, (ITF, CH))
EVTCHN_TAIL_V5
#undef T
#undef TAG

#define T XENBUS_EVTCHN_INTERFACE_V6
#define TAG EVTCHN_V6
BEGIN()
EVTCHN_HEAD
M(5, EvtchnUnmaskVersion4, VOID, (ITF, CH, BOOLEAN))
M(6, EvtchnSend, VOID, (ITF, CH))
EVTCHN_TAIL_V5
#undef T
#undef TAG

#define T XENBUS_EVTCHN_INTERFACE_V7
#define TAG EVTCHN_V7
BEGIN()
EVTCHN_HEAD
M(5, EvtchnUnmaskVersion4, VOID, (ITF, CH, BOOLEAN))
EVTCHN_TAIL_V7
#undef T
#undef TAG

#define T XENBUS_EVTCHN_INTERFACE_V8
#define TAG EVTCHN_V8
BEGIN()
EVTCHN_HEAD
M(5, EvtchnUnmask, BOOLEAN, (ITF, CH, BOOLEAN, BOOLEAN))
EVTCHN_TAIL_V7
#undef T
#undef TAG

#define T XENBUS_EVTCHN_INTERFACE_V9
#define TAG EVTCHN_V9
BEGIN()
EVTCHN_HEAD
M(5, EvtchnUnmask, BOOLEAN, (ITF, CH, BOOLEAN, BOOLEAN))
EVTCHN_TAIL_V7
#undef T
#undef TAG
_Static_assert(XENBUS_EVTCHN_TYPE_INVALID == 0 && XENBUS_EVTCHN_TYPE_FIXED == 1 &&
	       XENBUS_EVTCHN_TYPE_UNBOUND == 2 && XENBUS_EVTCHN_TYPE_INTER_DOMAIN == 3 &&
	       XENBUS_EVTCHN_TYPE_VIRQ == 4 && sizeof(XENBUS_EVTCHN_TYPE) == 4,
	       "LAYOUT EVTCHN_V9: XENBUS_EVTCHN_TYPE");

/* ---- DEBUG ---- */
#define T XENBUS_DEBUG_INTERFACE_V1
#define TAG DEBUG_V1
BEGIN()
M(1, DebugAcquire, NTSTATUS, (ITF))
M(2, DebugRelease, VOID, (ITF))
M(3, DebugRegister, NTSTATUS, (ITF, PSTR, VOID (NTAPI *)(PVOID, BOOLEAN), PVOID,
			       PXENBUS_DEBUG_CALLBACK *))
V(4, DebugPrintf, VOID, (ITF, PCSTR, ...))
M(5, DebugTrigger, VOID, (ITF, PXENBUS_DEBUG_CALLBACK))
M(6, DebugDeregister, VOID, (ITF, PXENBUS_DEBUG_CALLBACK))
#undef T
#undef TAG

/* ---- STORE ---- */
#define TX PXENBUS_STORE_TRANSACTION
#define T XENBUS_STORE_INTERFACE_V2
#define TAG STORE_V2
BEGIN()
M(1, StoreAcquire, NTSTATUS, (ITF))
M(2, StoreRelease, VOID, (ITF))
M(3, StoreFree, VOID, (ITF, PSTR))
M(4, StoreRead, NTSTATUS, (ITF, TX, PSTR, PSTR, PSTR *))
V(5, StorePrintf, NTSTATUS, (ITF, TX, PSTR, PSTR, PCSTR, ...))
M(6, StorePermissionsSet, NTSTATUS, (ITF, TX, PSTR, PSTR, PXENBUS_STORE_PERMISSION, ULONG))
M(7, StoreRemove, NTSTATUS, (ITF, TX, PSTR, PSTR))
M(8, StoreDirectory, NTSTATUS, (ITF, TX, PSTR, PSTR, PSTR *))
M(9, StoreTransactionStart, NTSTATUS, (ITF, TX *))
M(10, StoreTransactionEnd, NTSTATUS, (ITF, TX, BOOLEAN))
M(11, StoreWatchAdd, NTSTATUS, (ITF, PSTR, PSTR, PKEVENT, PXENBUS_STORE_WATCH *))
M(12, StoreWatchRemove, NTSTATUS, (ITF, PXENBUS_STORE_WATCH))
M(13, StorePoll, VOID, (ITF))
#undef T
#undef TAG
_Static_assert(sizeof(XENBUS_STORE_PERMISSION) == 8 &&
	       offsetof(XENBUS_STORE_PERMISSION, Domain) == 0 &&
	       offsetof(XENBUS_STORE_PERMISSION, Mask) == 4 &&
	       XENBUS_STORE_PERM_NONE == 0 && XENBUS_STORE_PERM_READ == 1 &&
	       XENBUS_STORE_PERM_WRITE == 2,
	       "LAYOUT STORE_V2: XENBUS_STORE_PERMISSION");

/* ---- RANGE_SET ---- */
#define RS PXENBUS_RANGE_SET
#define T XENBUS_RANGE_SET_INTERFACE_V1
#define TAG RANGE_SET_V1
BEGIN()
M(1, RangeSetAcquire, NTSTATUS, (ITF))
M(2, RangeSetRelease, VOID, (ITF))
M(3, RangeSetCreate, NTSTATUS, (ITF, PCSTR, RS *))
M(4, RangeSetPut, NTSTATUS, (ITF, RS, LONGLONG, ULONGLONG))
M(5, RangeSetPop, NTSTATUS, (ITF, RS, ULONGLONG, PLONGLONG))
M(6, RangeSetGet, NTSTATUS, (ITF, RS, LONGLONG, ULONGLONG))
M(7, RangeSetDestroy, VOID, (ITF, RS))
#undef T
#undef TAG

/* ---- CACHE ---- */
#define CTOR NTSTATUS (NTAPI *)(PVOID, PVOID)
#define DTOR VOID (NTAPI *)(PVOID, PVOID)
#define LOCK VOID (NTAPI *)(PVOID)
#define CACHE_TAIL                                                      \
	M(1, CacheAcquire, NTSTATUS, (ITF))                             \
	M(2, CacheRelease, VOID, (ITF))                                 \
	M(4, CacheGet, PVOID, (ITF, PXENBUS_CACHE, BOOLEAN))            \
	M(5, CachePut, VOID, (ITF, PXENBUS_CACHE, PVOID, BOOLEAN))      \
	M(6, CacheDestroy, VOID, (ITF, PXENBUS_CACHE))

#define T XENBUS_CACHE_INTERFACE_V1
#define TAG CACHE_V1
BEGIN()
M(3, CacheCreateVersion1, NTSTATUS, (ITF, PCSTR, ULONG, ULONG, CTOR, DTOR, LOCK, LOCK,
				     PVOID, PXENBUS_CACHE *))
CACHE_TAIL
#undef T
#undef TAG

#define T XENBUS_CACHE_INTERFACE_V2
#define TAG CACHE_V2
BEGIN()
M(3, CacheCreate, NTSTATUS, (ITF, PCSTR, ULONG, ULONG, ULONG, CTOR, DTOR, LOCK, LOCK,
			     PVOID, PXENBUS_CACHE *))
CACHE_TAIL
#undef T
#undef TAG

/* ---- GNTTAB ---- */
#define GC PXENBUS_GNTTAB_CACHE
#define GE PXENBUS_GNTTAB_ENTRY
#define GNTTAB_HEAD                                                     \
	M(1, GnttabAcquire, NTSTATUS, (ITF))                            \
	M(2, GnttabRelease, VOID, (ITF))                                \
	M(4, GnttabPermitForeignAccess, NTSTATUS,                       \
	  (ITF, GC, BOOLEAN, USHORT, PFN_NUMBER, BOOLEAN, GE *))        \
	M(5, GnttabRevokeForeignAccess, NTSTATUS, (ITF, GC, BOOLEAN, GE)) \
	M(6, GnttabGetReference, ULONG, (ITF, GE))
#define GNTTAB_TAIL(d)                                                  \
	M(7 + (d), GnttabDestroyCache, VOID, (ITF, GC))                 \
	M(8 + (d), GnttabMapForeignPages, NTSTATUS,                     \
	  (ITF, USHORT, ULONG, PULONG, BOOLEAN, PHYSICAL_ADDRESS *))    \
	M(9 + (d), GnttabUnmapForeignPages, NTSTATUS, (ITF, PHYSICAL_ADDRESS))
#define GNTTAB_CREATE_V1 \
	M(3, GnttabCreateCacheVersion1, NTSTATUS, (ITF, PCSTR, ULONG, LOCK, LOCK, PVOID, GC *))
#define GNTTAB_QUERY \
	M(7, GnttabQueryReference, NTSTATUS, (ITF, ULONG, PPFN_NUMBER, PBOOLEAN))

#define T XENBUS_GNTTAB_INTERFACE_V2
#define TAG GNTTAB_V2
BEGIN()
GNTTAB_HEAD
GNTTAB_CREATE_V1
GNTTAB_TAIL(0)
#undef T
#undef TAG

#define T XENBUS_GNTTAB_INTERFACE_V3
#define TAG GNTTAB_V3
BEGIN()
GNTTAB_HEAD
GNTTAB_CREATE_V1
GNTTAB_QUERY
GNTTAB_TAIL(1)
#undef T
#undef TAG

#define T XENBUS_GNTTAB_INTERFACE_V4
#define TAG GNTTAB_V4
BEGIN()
GNTTAB_HEAD
M(3, GnttabCreateCache, NTSTATUS, (ITF, PCSTR, ULONG, ULONG, LOCK, LOCK, PVOID, GC *))
GNTTAB_QUERY
GNTTAB_TAIL(1)
#undef T
#undef TAG
_Static_assert(XENBUS_GNTTAB_CONSOLE_REFERENCE == 0 && XENBUS_GNTTAB_STORE_REFERENCE == 1,
	       "LAYOUT GNTTAB_V4: reserved references");

/* ---- UNPLUG ---- */
#define UT XENBUS_UNPLUG_DEVICE_TYPE
#define UNPLUG_HEAD                                                     \
	M(1, UnplugAcquire, NTSTATUS, (ITF))                            \
	M(2, UnplugRelease, VOID, (ITF))                                \
	M(3, UnplugRequest, VOID, (ITF, UT, BOOLEAN))

#define T XENBUS_UNPLUG_INTERFACE_V1
#define TAG UNPLUG_V1
BEGIN()
UNPLUG_HEAD
#undef T
#undef TAG

#define T XENBUS_UNPLUG_INTERFACE_V2
#define TAG UNPLUG_V2
BEGIN()
UNPLUG_HEAD
M(4, UnplugIsRequested, BOOLEAN, (ITF, UT))
#undef T
#undef TAG

#define T XENBUS_UNPLUG_INTERFACE_V3
#define TAG UNPLUG_V3
BEGIN()
UNPLUG_HEAD
M(4, UnplugIsRequested, BOOLEAN, (ITF, UT))
M(5, UnplugBootEmulated, BOOLEAN, (ITF))
M(6, UnplugReboot, VOID, (ITF, PSTR))
#undef T
#undef TAG
_Static_assert(XENBUS_UNPLUG_DEVICE_TYPE_INVALID == 0 && XENBUS_UNPLUG_DEVICE_TYPE_NICS == 1 &&
	       XENBUS_UNPLUG_DEVICE_TYPE_DISKS == 2 && sizeof(UT) == 4,
	       "LAYOUT UNPLUG_V3: XENBUS_UNPLUG_DEVICE_TYPE");

/* ---- CONSOLE ---- */
#define CW PXENBUS_CONSOLE_WAKEUP
#define T XENBUS_CONSOLE_INTERFACE_V1
#define TAG CONSOLE_V1
BEGIN()
M(1, ConsoleAcquire, NTSTATUS, (ITF))
M(2, ConsoleRelease, VOID, (ITF))
M(3, ConsoleCanRead, BOOLEAN, (ITF))
M(4, ConsoleRead, ULONG, (ITF, PSTR, ULONG))
M(5, ConsoleCanWrite, BOOLEAN, (ITF))
M(6, ConsoleWrite, ULONG, (ITF, PSTR, ULONG))
M(7, ConsoleWakeupAdd, NTSTATUS, (ITF, PKEVENT, CW *))
M(8, ConsoleWakeupRemove, VOID, (ITF, CW))
#undef T
#undef TAG

/* ---- BALLOON ---- */
#define T XENBUS_BALLOON_INTERFACE_V1
#define TAG BALLOON_V1
BEGIN()
M(1, BalloonAcquire, NTSTATUS, (ITF))
M(2, BalloonRelease, VOID, (ITF))
M(3, BalloonAdjust, NTSTATUS, (ITF, ULONGLONG))
M(4, BalloonGetSize, ULONGLONG, (ITF))
#undef T
#undef TAG

/* ---- EMULATED (the query methods' first parameter is PVOID) ---- */
#define EMULATED_HEAD                                                   \
	M(1, EmulatedAcquire, NTSTATUS, (ITF))                          \
	M(2, EmulatedRelease, VOID, (ITF))
#define EMU_DEVICE_V1 \
	M(3, EmulatedIsDevicePresentVersion1, BOOLEAN, (PVOID, PSTR, PSTR))
#define EMU_DISK \
	M(4, EmulatedIsDiskPresent, BOOLEAN, (PVOID, ULONG))

#define T XENFILT_EMULATED_INTERFACE_V1
#define TAG EMULATED_V1
BEGIN()
EMULATED_HEAD
EMU_DEVICE_V1
M(4, EmulatedIsDiskPresentVersion1, BOOLEAN, (PVOID, ULONG, ULONG, ULONG))
#undef T
#undef TAG

#define T XENFILT_EMULATED_INTERFACE_V2
#define TAG EMULATED_V2
BEGIN()
EMULATED_HEAD
EMU_DEVICE_V1
EMU_DISK
#undef T
#undef TAG

#define T XENFILT_EMULATED_INTERFACE_V3
#define TAG EMULATED_V3
BEGIN()
EMULATED_HEAD
M(3, EmulatedIsDevicePresent, BOOLEAN, (PVOID, PSTR, PSTR, PXENBUS_EMULATED_ACTIVATION_STATUS))
EMU_DISK
#undef T
#undef TAG
_Static_assert(XENBUS_EMULATED_ACTIVATE_NEUTRAL == 0 && XENBUS_EMULATED_FORCE_ACTIVATED == 1 &&
	       XENBUS_EMULATED_FORCE_DEACTIVATED == 2,
	       "LAYOUT EMULATED_V3: XENBUS_EMULATED_ACTIVATION_STATUS");

/* Every contract row has a block above (an undeclared CHECKED_<TAG> fails). */
#define CHECKED(TAG, ITF_, VER, N, S64, S86) \
	LAYOUT_ASSERT(TAG, CHECKED_##TAG == 1, "checked");
CONTRACT_VERSIONS(CHECKED)

/* The typedef without a version suffix is the newest version. */
#define NEWEST(tag, latest, newest) \
	LAYOUT_ASSERT(tag, __builtin_types_compatible_p(latest, newest), "unversioned typedef is not the newest");
NEWEST(SUSPEND_V1, XENBUS_SUSPEND_INTERFACE, XENBUS_SUSPEND_INTERFACE_V1)
NEWEST(SHARED_INFO_V4, XENBUS_SHARED_INFO_INTERFACE, XENBUS_SHARED_INFO_INTERFACE_V4)
NEWEST(EVTCHN_V9, XENBUS_EVTCHN_INTERFACE, XENBUS_EVTCHN_INTERFACE_V9)
NEWEST(DEBUG_V1, XENBUS_DEBUG_INTERFACE, XENBUS_DEBUG_INTERFACE_V1)
NEWEST(STORE_V2, XENBUS_STORE_INTERFACE, XENBUS_STORE_INTERFACE_V2)
NEWEST(RANGE_SET_V1, XENBUS_RANGE_SET_INTERFACE, XENBUS_RANGE_SET_INTERFACE_V1)
NEWEST(CACHE_V2, XENBUS_CACHE_INTERFACE, XENBUS_CACHE_INTERFACE_V2)
NEWEST(GNTTAB_V4, XENBUS_GNTTAB_INTERFACE, XENBUS_GNTTAB_INTERFACE_V4)
NEWEST(UNPLUG_V3, XENBUS_UNPLUG_INTERFACE, XENBUS_UNPLUG_INTERFACE_V3)
NEWEST(CONSOLE_V1, XENBUS_CONSOLE_INTERFACE, XENBUS_CONSOLE_INTERFACE_V1)
NEWEST(BALLOON_V1, XENBUS_BALLOON_INTERFACE, XENBUS_BALLOON_INTERFACE_V1)
NEWEST(EMULATED_V3, XENFILT_EMULATED_INTERFACE, XENFILT_EMULATED_INTERFACE_V3)

/* revision.h and the GUIDs are compared with the contract and with
 * src/core/bus.c by the host program check_bus.c. */
