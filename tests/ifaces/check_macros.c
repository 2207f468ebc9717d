/*
 * Child-driver style calls through every XENBUS_* / XENFILT_EMULATED call
 * macro, with argument types a child would use, compiled -Werror by the
 * mingw compilers (tests/stages/55-ifaces.sh). Methods without extra
 * arguments exercise the empty variadic tail of the macros. Never run.
 */
#include <ntddk.h>
#include <initguid.h>

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
#include "revision.h"

static VOID NTAPI on_suspend(PVOID Argument) { (void)Argument; }
static VOID NTAPI on_debug(PVOID Argument, BOOLEAN Crashing) { (void)Argument; (void)Crashing; }
static BOOLEAN NTAPI on_event(PKINTERRUPT Interrupt, PVOID Argument)
{
    (void)Interrupt; (void)Argument;
    return TRUE;
}
static NTSTATUS NTAPI ctor(PVOID Argument, PVOID Object) { (void)Argument; (void)Object; return STATUS_SUCCESS; }
static VOID NTAPI dtor(PVOID Argument, PVOID Object) { (void)Argument; (void)Object; }
static VOID NTAPI lock(PVOID Argument) { (void)Argument; }
static VOID NTAPI unlock(PVOID Argument) { (void)Argument; }

/* Each revision row has the 11 interface columns after its number. */
#define DEFINE_REVISION(_N, _S, _SI, _E, _D, _ST, _R, _C, _G, _U, _CO, _EM) \
    { (_N), { (_S), (_SI), (_E), (_D), (_ST), (_R), (_C), (_G), (_U), (_CO), (_EM) } }
static const struct { ULONG Number; UCHAR Version[11]; } revisions[] = { DEFINE_REVISION_TABLE };

/* External linkage, no prototype needed (-Wall -Wextra): compiled, never called. */
NTSTATUS child_calls(PXENBUS_SUSPEND_INTERFACE Suspend,
                     PXENBUS_SHARED_INFO_INTERFACE SharedInfo,
                     PXENBUS_EVTCHN_INTERFACE Evtchn,
                     PXENBUS_EVTCHN_INTERFACE_V5 EvtchnV5,
                     PXENBUS_DEBUG_INTERFACE Debug,
                     PXENBUS_STORE_INTERFACE Store,
                     PXENBUS_RANGE_SET_INTERFACE RangeSet,
                     PXENBUS_CACHE_INTERFACE Cache,
                     PXENBUS_GNTTAB_INTERFACE Gnttab,
                     PXENBUS_GNTTAB_INTERFACE_V2 GnttabV2,
                     PXENBUS_UNPLUG_INTERFACE Unplug,
                     PXENBUS_CONSOLE_INTERFACE Console,
                     PXENBUS_BALLOON_INTERFACE Balloon,
                     PXENFILT_EMULATED_INTERFACE Emulated,
                     PXENFILT_EMULATED_INTERFACE_V1 EmulatedV1)
{
    NTSTATUS status;
    PXENBUS_SUSPEND_CALLBACK suspend_cb;
    PXENBUS_EVTCHN_CHANNEL channel;
    PXENBUS_DEBUG_CALLBACK debug_cb;
    PXENBUS_STORE_TRANSACTION transaction;
    PXENBUS_STORE_WATCH watch;
    XENBUS_STORE_PERMISSION perms[2] = {
        { 0, XENBUS_STORE_PERM_NONE },
        { 1, XENBUS_STORE_PERM_READ },
    };
    PSTR buffer;
    PXENBUS_RANGE_SET range_set;
    LONGLONG start;
    PXENBUS_CACHE cache;
    PVOID object;
    PXENBUS_GNTTAB_CACHE gcache;
    PXENBUS_GNTTAB_ENTRY entry;
    PFN_NUMBER pfn;
    BOOLEAN read_only, local;
    ULONG refs[1] = { 8 };
    PHYSICAL_ADDRESS address;
    PXENBUS_CONSOLE_WAKEUP wakeup;
    XENBUS_EMULATED_ACTIVATION_STATUS activation;
    LARGE_INTEGER time, timeout;
    KEVENT event;
    CHAR text[16];

    KeInitializeEvent(&event, NotificationEvent, FALSE);
    timeout.QuadPart = -10000;

    status = XENBUS_SUSPEND(Acquire, Suspend);
    status = XENBUS_SUSPEND(Register, Suspend, SUSPEND_CALLBACK_LATE, on_suspend, NULL, &suspend_cb);
    status = XENBUS_SUSPEND(Trigger, Suspend);
    (void)XENBUS_SUSPEND(GetCount, Suspend);
    XENBUS_SUSPEND(Deregister, Suspend, suspend_cb);
    XENBUS_SUSPEND(Release, Suspend);

    status = XENBUS_SHARED_INFO(Acquire, SharedInfo);
    XENBUS_SHARED_INFO(GetTime, SharedInfo, &time, &local);
    XENBUS_SHARED_INFO(Release, SharedInfo);

    status = XENBUS_EVTCHN(Acquire, Evtchn);
    channel = XENBUS_EVTCHN(Open, Evtchn, XENBUS_EVTCHN_TYPE_UNBOUND, on_event, NULL, (USHORT)0, TRUE);
    channel = XENBUS_EVTCHN(Open, Evtchn, XENBUS_EVTCHN_TYPE_VIRQ, on_event, NULL, 1UL, (USHORT)0, (UCHAR)0);
    status = XENBUS_EVTCHN(Bind, Evtchn, channel, 0, 1);
    (void)XENBUS_EVTCHN(Unmask, Evtchn, channel, FALSE, TRUE);
    XENBUS_EVTCHN(Send, Evtchn, channel);
    XENBUS_EVTCHN(Trigger, Evtchn, channel);
    status = XENBUS_EVTCHN(Wait, Evtchn, channel, XENBUS_EVTCHN(GetCount, Evtchn, channel) + 1, &timeout);
    (void)XENBUS_EVTCHN(GetPort, Evtchn, channel);
    XENBUS_EVTCHN(Close, Evtchn, channel);
    XENBUS_EVTCHN(UnmaskVersion4, EvtchnV5, channel, FALSE);
    XENBUS_EVTCHN(SendVersion1, EvtchnV5, channel);
    status = XENBUS_EVTCHN(WaitVersion5, EvtchnV5, channel, NULL);
    XENBUS_EVTCHN(Release, Evtchn);

    status = XENBUS_DEBUG(Acquire, Debug);
    status = XENBUS_DEBUG(Register, Debug, "child|debug", on_debug, NULL, &debug_cb);
    XENBUS_DEBUG(Printf, Debug, "%s %lu\n", "count", 1UL);
    XENBUS_DEBUG(Printf, Debug, "no arguments\n");
    XENBUS_DEBUG(Trigger, Debug, NULL);
    XENBUS_DEBUG(Deregister, Debug, debug_cb);
    XENBUS_DEBUG(Release, Debug);

    status = XENBUS_STORE(Acquire, Store);
    status = XENBUS_STORE(TransactionStart, Store, &transaction);
    status = XENBUS_STORE(Read, Store, transaction, "device/vif/0", "backend", &buffer);
    XENBUS_STORE(Free, Store, buffer);
    status = XENBUS_STORE(Printf, Store, transaction, NULL, "device/vif/0/state", "%u", 4U);
    status = XENBUS_STORE(PermissionsSet, Store, NULL, "data", "x", perms, 2);
    status = XENBUS_STORE(Remove, Store, transaction, NULL, "data/x");
    status = XENBUS_STORE(Directory, Store, NULL, NULL, "device", &buffer);
    status = XENBUS_STORE(TransactionEnd, Store, transaction, TRUE);
    status = XENBUS_STORE(WatchAdd, Store, NULL, "memory/target", &event, &watch);
    status = XENBUS_STORE(WatchRemove, Store, watch);
    XENBUS_STORE(Poll, Store);
    XENBUS_STORE(Release, Store);

    status = XENBUS_RANGE_SET(Acquire, RangeSet);
    status = XENBUS_RANGE_SET(Create, RangeSet, "child", &range_set);
    status = XENBUS_RANGE_SET(Put, RangeSet, range_set, 32LL, 100ULL);
    status = XENBUS_RANGE_SET(Pop, RangeSet, range_set, 1ULL, &start);
    status = XENBUS_RANGE_SET(Get, RangeSet, range_set, 40LL, 2ULL);
    XENBUS_RANGE_SET(Destroy, RangeSet, range_set);
    XENBUS_RANGE_SET(Release, RangeSet);

    status = XENBUS_CACHE(Acquire, Cache);
    status = XENBUS_CACHE(Create, Cache, "child", 64, 8, 0, ctor, dtor, lock, unlock, NULL, &cache);
    object = XENBUS_CACHE(Get, Cache, cache, FALSE);
    XENBUS_CACHE(Put, Cache, cache, object, FALSE);
    XENBUS_CACHE(Destroy, Cache, cache);
    XENBUS_CACHE(Release, Cache);

    status = XENBUS_GNTTAB(Acquire, Gnttab);
    status = XENBUS_GNTTAB(CreateCache, Gnttab, "child", 0, 0, lock, unlock, NULL, &gcache);
    status = XENBUS_GNTTAB(CreateCacheVersion1, GnttabV2, "child", 0, lock, unlock, NULL, &gcache);
    status = XENBUS_GNTTAB(PermitForeignAccess, Gnttab, gcache, FALSE, 0, (PFN_NUMBER)0x1000, FALSE, &entry);
    (void)XENBUS_GNTTAB(GetReference, Gnttab, entry);
    status = XENBUS_GNTTAB(RevokeForeignAccess, Gnttab, gcache, FALSE, entry);
    status = XENBUS_GNTTAB(QueryReference, Gnttab, XENBUS_GNTTAB_STORE_REFERENCE, &pfn, &read_only);
    status = XENBUS_GNTTAB(MapForeignPages, Gnttab, 0, 1, refs, FALSE, &address);
    status = XENBUS_GNTTAB(UnmapForeignPages, Gnttab, address);
    XENBUS_GNTTAB(DestroyCache, Gnttab, gcache);
    XENBUS_GNTTAB(Release, Gnttab);

    status = XENBUS_UNPLUG(Acquire, Unplug);
    XENBUS_UNPLUG(Request, Unplug, XENBUS_UNPLUG_DEVICE_TYPE_DISKS, TRUE);
    (void)XENBUS_UNPLUG(IsRequested, Unplug, XENBUS_UNPLUG_DEVICE_TYPE_NICS);
    (void)XENBUS_UNPLUG(BootEmulated, Unplug);
    XENBUS_UNPLUG(Reboot, Unplug, "xenvbd");
    XENBUS_UNPLUG(Release, Unplug);

    status = XENBUS_CONSOLE(Acquire, Console);
    if (XENBUS_CONSOLE(CanRead, Console))
        (void)XENBUS_CONSOLE(Read, Console, text, sizeof(text));
    if (XENBUS_CONSOLE(CanWrite, Console))
        (void)XENBUS_CONSOLE(Write, Console, text, sizeof(text));
    status = XENBUS_CONSOLE(WakeupAdd, Console, &event, &wakeup);
    XENBUS_CONSOLE(WakeupRemove, Console, wakeup);
    XENBUS_CONSOLE(Release, Console);

    status = XENBUS_BALLOON(Acquire, Balloon);
    status = XENBUS_BALLOON(Adjust, Balloon, XENBUS_BALLOON(GetSize, Balloon) + 1);
    XENBUS_BALLOON(Release, Balloon);

    status = XENFILT_EMULATED(Acquire, Emulated);
    (void)XENFILT_EMULATED(IsDevicePresent, Emulated, "PCI\\VEN_5853&DEV_0001", NULL, &activation);
    (void)XENFILT_EMULATED(IsDiskPresent, Emulated, 0);
    (void)XENFILT_EMULATED(IsDevicePresentVersion1, EmulatedV1, "PCI\\VEN_5853&DEV_0001", NULL);
    (void)XENFILT_EMULATED(IsDiskPresentVersion1, EmulatedV1, 0, 1, 0);
    XENFILT_EMULATED(Release, Emulated);

    (void)GUID_XENBUS_SUSPEND_INTERFACE; (void)GUID_XENBUS_SHARED_INFO_INTERFACE;
    (void)GUID_XENBUS_EVTCHN_INTERFACE; (void)GUID_XENBUS_DEBUG_INTERFACE;
    (void)GUID_XENBUS_STORE_INTERFACE; (void)GUID_XENBUS_RANGE_SET_INTERFACE;
    (void)GUID_XENBUS_CACHE_INTERFACE; (void)GUID_XENBUS_GNTTAB_INTERFACE;
    (void)GUID_XENBUS_UNPLUG_INTERFACE; (void)GUID_XENBUS_CONSOLE_INTERFACE;
    (void)GUID_XENBUS_BALLOON_INTERFACE; (void)GUID_XENFILT_EMULATED_INTERFACE;
    (void)revisions;

    return status;
}
