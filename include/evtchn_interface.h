/*
 * XENBUS EVTCHN interface (versions 5 to 9): event channels. Served by
 * xenbus.sys on every child PDO.
 *
 * After a suspend/resume every channel opened before it is inactive: Send,
 * Unmask and Bind do nothing and no events arrive. Close it (this does not
 * close the port in Xen) and Open a new one.
 *
 * Include <wdm.h> or <ntddk.h> first. Define _WINDLL to get only the GUID
 * and the version range.
 */
#ifndef _XENBUS_EVTCHN_INTERFACE_H
#define _XENBUS_EVTCHN_INTERFACE_H

#ifndef _WINDLL

/* What Open binds; each type takes its own variadic arguments, see
 * XENBUS_EVTCHN_OPEN. */
typedef enum _XENBUS_EVTCHN_TYPE {
    XENBUS_EVTCHN_TYPE_INVALID = 0,
    XENBUS_EVTCHN_TYPE_FIXED,
    XENBUS_EVTCHN_TYPE_UNBOUND,
    XENBUS_EVTCHN_TYPE_INTER_DOMAIN,
    XENBUS_EVTCHN_TYPE_VIRQ
} XENBUS_EVTCHN_TYPE, *PXENBUS_EVTCHN_TYPE;

/* Opaque channel handle, owned by the bus. */
typedef struct _XENBUS_EVTCHN_CHANNEL XENBUS_EVTCHN_CHANNEL, *PXENBUS_EVTCHN_CHANNEL;

/* Take a reference on the subsystem. IRQL <= DISPATCH_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_EVTCHN_ACQUIRE)(PINTERFACE Interface);

/* Drop the reference taken by Acquire; every channel must be closed first.
 * IRQL <= DISPATCH_LEVEL. */
typedef VOID (NTAPI *XENBUS_EVTCHN_RELEASE)(PINTERFACE Interface);

/*
 * Open a channel whose events call Function(NULL, Argument) at the bus
 * interrupt's DIRQL (the InterruptObject argument is always NULL).
 * Variadic arguments by Type (each in one promoted integer slot):
 *   FIXED         ULONG LocalPort, BOOLEAN Mask
 *   UNBOUND       USHORT RemoteDomain, BOOLEAN Mask
 *   INTER_DOMAIN  USHORT RemoteDomain, ULONG RemotePort, BOOLEAN Mask
 *   VIRQ          ULONG Index                          (version < 9)
 *   VIRQ          ULONG Index, USHORT Group, UCHAR Number (version >= 9)
 * Mask TRUE: the port is masked before each callback. The new port is left
 * masked: call Unmask. Returns NULL on any failure. IRQL <= DISPATCH_LEVEL.
 */
typedef PXENBUS_EVTCHN_CHANNEL (__cdecl *XENBUS_EVTCHN_OPEN)(
    PINTERFACE Interface,
    XENBUS_EVTCHN_TYPE Type,
    PKSERVICE_ROUTINE Function,
    PVOID Argument,
    ...);

/* Deliver the channel's events to processor (Group, Number).
 * STATUS_NOT_SUPPORTED if that CPU cannot take events. IRQL <= DISPATCH_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_EVTCHN_BIND)(
    PINTERFACE Interface,
    PXENBUS_EVTCHN_CHANNEL Channel,
    USHORT Group,
    UCHAR Number);

/* Versions 5 to 7: Unmask with Force = TRUE. */
typedef VOID (NTAPI *XENBUS_EVTCHN_UNMASK_V4)(
    PINTERFACE Interface,
    PXENBUS_EVTCHN_CHANNEL Channel,
    BOOLEAN InCallback);

/* Unmask the port. InCallback: called from this channel's own callback (no
 * channel lock taken). Returns TRUE when an event is still pending and was
 * acked instead of re-delivered ("poll again"); FALSE otherwise. */
typedef BOOLEAN (NTAPI *XENBUS_EVTCHN_UNMASK)(
    PINTERFACE Interface,
    PXENBUS_EVTCHN_CHANNEL Channel,
    BOOLEAN InCallback,
    BOOLEAN Force);

/* Version 5: Send from any IRQL <= DISPATCH_LEVEL. */
typedef VOID (NTAPI *XENBUS_EVTCHN_SEND_V1)(
    PINTERFACE Interface,
    PXENBUS_EVTCHN_CHANNEL Channel);

/* Notify the remote end. IRQL >= DISPATCH_LEVEL. */
typedef VOID (NTAPI *XENBUS_EVTCHN_SEND)(
    PINTERFACE Interface,
    PXENBUS_EVTCHN_CHANNEL Channel);

/* Run the callback from a DPC as if an event had arrived.
 * IRQL <= DISPATCH_LEVEL. */
typedef VOID (NTAPI *XENBUS_EVTCHN_TRIGGER)(
    PINTERFACE Interface,
    PXENBUS_EVTCHN_CHANNEL Channel);

/* Callback invocations since Open (wraps). Any IRQL. */
typedef ULONG (NTAPI *XENBUS_EVTCHN_GET_COUNT)(
    PINTERFACE Interface,
    PXENBUS_EVTCHN_CHANNEL Channel);

/* Versions 5 and 6: Wait(GetCount() + 1, Timeout). */
typedef NTSTATUS (NTAPI *XENBUS_EVTCHN_WAIT_V5)(
    PINTERFACE Interface,
    PXENBUS_EVTCHN_CHANNEL Channel,
    PLARGE_INTEGER Timeout);

/* Spin at DISPATCH_LEVEL until the event count reaches Count. Timeout: NULL
 * forever, > 0 absolute, < 0 relative (100 ns units), 0 test once.
 * STATUS_SUCCESS or STATUS_TIMEOUT. IRQL <= DISPATCH_LEVEL. */
typedef NTSTATUS (NTAPI *XENBUS_EVTCHN_WAIT)(
    PINTERFACE Interface,
    PXENBUS_EVTCHN_CHANNEL Channel,
    ULONG Count,
    PLARGE_INTEGER Timeout);

/* The local port number; meaningful only while the channel is active. */
typedef ULONG (NTAPI *XENBUS_EVTCHN_GET_PORT)(
    PINTERFACE Interface,
    PXENBUS_EVTCHN_CHANNEL Channel);

/* Close and free the channel; the handle is dead afterwards. FIXED ports
 * and channels made inactive by a resume are not closed in Xen.
 * IRQL <= DISPATCH_LEVEL. */
typedef VOID (NTAPI *XENBUS_EVTCHN_CLOSE)(
    PINTERFACE Interface,
    PXENBUS_EVTCHN_CHANNEL Channel);

struct _XENBUS_EVTCHN_INTERFACE_V5 {
    INTERFACE                   Interface;
    XENBUS_EVTCHN_ACQUIRE       EvtchnAcquire;
    XENBUS_EVTCHN_RELEASE       EvtchnRelease;
    XENBUS_EVTCHN_OPEN          EvtchnOpen;
    XENBUS_EVTCHN_BIND          EvtchnBind;
    XENBUS_EVTCHN_UNMASK_V4     EvtchnUnmaskVersion4;
    XENBUS_EVTCHN_SEND_V1       EvtchnSendVersion1;
    XENBUS_EVTCHN_TRIGGER       EvtchnTrigger;
    XENBUS_EVTCHN_WAIT_V5       EvtchnWaitVersion5;
    XENBUS_EVTCHN_GET_PORT      EvtchnGetPort;
    XENBUS_EVTCHN_CLOSE         EvtchnClose;
};

struct _XENBUS_EVTCHN_INTERFACE_V6 {
    INTERFACE                   Interface;
    XENBUS_EVTCHN_ACQUIRE       EvtchnAcquire;
    XENBUS_EVTCHN_RELEASE       EvtchnRelease;
    XENBUS_EVTCHN_OPEN          EvtchnOpen;
    XENBUS_EVTCHN_BIND          EvtchnBind;
    XENBUS_EVTCHN_UNMASK_V4     EvtchnUnmaskVersion4;
    XENBUS_EVTCHN_SEND          EvtchnSend;
    XENBUS_EVTCHN_TRIGGER       EvtchnTrigger;
    XENBUS_EVTCHN_WAIT_V5       EvtchnWaitVersion5;
    XENBUS_EVTCHN_GET_PORT      EvtchnGetPort;
    XENBUS_EVTCHN_CLOSE         EvtchnClose;
};

struct _XENBUS_EVTCHN_INTERFACE_V7 {
    INTERFACE                   Interface;
    XENBUS_EVTCHN_ACQUIRE       EvtchnAcquire;
    XENBUS_EVTCHN_RELEASE       EvtchnRelease;
    XENBUS_EVTCHN_OPEN          EvtchnOpen;
    XENBUS_EVTCHN_BIND          EvtchnBind;
    XENBUS_EVTCHN_UNMASK_V4     EvtchnUnmaskVersion4;
    XENBUS_EVTCHN_SEND          EvtchnSend;
    XENBUS_EVTCHN_TRIGGER       EvtchnTrigger;
    XENBUS_EVTCHN_GET_COUNT     EvtchnGetCount;
    XENBUS_EVTCHN_WAIT          EvtchnWait;
    XENBUS_EVTCHN_GET_PORT      EvtchnGetPort;
    XENBUS_EVTCHN_CLOSE         EvtchnClose;
};

struct _XENBUS_EVTCHN_INTERFACE_V8 {
    INTERFACE                   Interface;
    XENBUS_EVTCHN_ACQUIRE       EvtchnAcquire;
    XENBUS_EVTCHN_RELEASE       EvtchnRelease;
    XENBUS_EVTCHN_OPEN          EvtchnOpen;
    XENBUS_EVTCHN_BIND          EvtchnBind;
    XENBUS_EVTCHN_UNMASK        EvtchnUnmask;
    XENBUS_EVTCHN_SEND          EvtchnSend;
    XENBUS_EVTCHN_TRIGGER       EvtchnTrigger;
    XENBUS_EVTCHN_GET_COUNT     EvtchnGetCount;
    XENBUS_EVTCHN_WAIT          EvtchnWait;
    XENBUS_EVTCHN_GET_PORT      EvtchnGetPort;
    XENBUS_EVTCHN_CLOSE         EvtchnClose;
};

/* Same layout as version 8; only Open's VIRQ arguments differ. */
struct _XENBUS_EVTCHN_INTERFACE_V9 {
    INTERFACE                   Interface;
    XENBUS_EVTCHN_ACQUIRE       EvtchnAcquire;
    XENBUS_EVTCHN_RELEASE       EvtchnRelease;
    XENBUS_EVTCHN_OPEN          EvtchnOpen;
    XENBUS_EVTCHN_BIND          EvtchnBind;
    XENBUS_EVTCHN_UNMASK        EvtchnUnmask;
    XENBUS_EVTCHN_SEND          EvtchnSend;
    XENBUS_EVTCHN_TRIGGER       EvtchnTrigger;
    XENBUS_EVTCHN_GET_COUNT     EvtchnGetCount;
    XENBUS_EVTCHN_WAIT          EvtchnWait;
    XENBUS_EVTCHN_GET_PORT      EvtchnGetPort;
    XENBUS_EVTCHN_CLOSE         EvtchnClose;
};

typedef struct _XENBUS_EVTCHN_INTERFACE_V5 XENBUS_EVTCHN_INTERFACE_V5, *PXENBUS_EVTCHN_INTERFACE_V5;
typedef struct _XENBUS_EVTCHN_INTERFACE_V6 XENBUS_EVTCHN_INTERFACE_V6, *PXENBUS_EVTCHN_INTERFACE_V6;
typedef struct _XENBUS_EVTCHN_INTERFACE_V7 XENBUS_EVTCHN_INTERFACE_V7, *PXENBUS_EVTCHN_INTERFACE_V7;
typedef struct _XENBUS_EVTCHN_INTERFACE_V8 XENBUS_EVTCHN_INTERFACE_V8, *PXENBUS_EVTCHN_INTERFACE_V8;
typedef struct _XENBUS_EVTCHN_INTERFACE_V9 XENBUS_EVTCHN_INTERFACE_V9, *PXENBUS_EVTCHN_INTERFACE_V9;

/* The newest version. */
typedef struct _XENBUS_EVTCHN_INTERFACE_V9 XENBUS_EVTCHN_INTERFACE, *PXENBUS_EVTCHN_INTERFACE;

/* XENBUS_EVTCHN(Method, Interface, args...) calls Interface->EvtchnMethod
 * with the interface as the first argument. */
#if defined(_MSC_VER) && !defined(__clang__) && (!defined(_MSVC_TRADITIONAL) || _MSVC_TRADITIONAL)
/* MSVC's traditional preprocessor drops the comma before an empty list. */
#define XENBUS_EVTCHN(_Method, _Interface, ...) \
    (_Interface)->Evtchn ## _Method((PINTERFACE)(_Interface), __VA_ARGS__)
#else
/* __VA_OPT__ rather than ", ##": the arguments may themselves be calls. */
#define XENBUS_EVTCHN(_Method, _Interface, ...) \
    (_Interface)->Evtchn ## _Method((PINTERFACE)(_Interface) __VA_OPT__(,) __VA_ARGS__)
#endif

#endif /* _WINDLL */

/* {BE2440AC-1098-4150-AF4D-452FADCEF923} */
DEFINE_GUID(GUID_XENBUS_EVTCHN_INTERFACE,
            0xbe2440ac, 0x1098, 0x4150, 0xaf, 0x4d, 0x45, 0x2f, 0xad, 0xce, 0xf9, 0x23);

#define XENBUS_EVTCHN_INTERFACE_VERSION_MIN 5
#define XENBUS_EVTCHN_INTERFACE_VERSION_MAX 9

#endif /* _XENBUS_EVTCHN_INTERFACE_H */
