/*
 * PDO revisions. A child PDO reports one hardware ID per revision
 * (XENBUS\VEN_<vendor>&DEV_<class>&REV_<revision>, newest first) and a
 * child INF binds to the revision it was built against; the row says which
 * interface versions that revision guarantees. The bus serves every
 * version from each interface's MIN to MAX to any child, whatever revision
 * it bound to.
 *
 * Rules: a new interface version adds a revision (the newest row always
 * holds every MAX); dropping a version drops every row that names it. The
 * top byte of a revision is the package major version. BALLOON is not in
 * the table (it is never exposed to children).
 *
 * DEFINE_REVISION(Number, SUSPEND, SHARED_INFO, EVTCHN, DEBUG, STORE,
 *                 RANGE_SET, CACHE, GNTTAB, UNPLUG, CONSOLE, EMULATED)
 * is supplied by the includer; DEFINE_REVISION_TABLE expands to the rows,
 * oldest first, separated by commas.
 */
#ifndef _XENBUS_REVISION_H
#define _XENBUS_REVISION_H

#define DEFINE_REVISION_TABLE                                               \
    DEFINE_REVISION(0x09000008, 1, 3, 9, 1, 2, 1, 2, 4, 1, 1, 2),          \
    DEFINE_REVISION(0x09000009, 1, 4, 9, 1, 2, 1, 2, 4, 1, 1, 2),          \
    DEFINE_REVISION(0x0900000A, 1, 4, 9, 1, 2, 1, 2, 4, 2, 1, 2),          \
    DEFINE_REVISION(0x0900000B, 1, 4, 9, 1, 2, 1, 2, 4, 3, 1, 2),          \
    DEFINE_REVISION(0x0900000C, 1, 4, 9, 1, 2, 1, 2, 4, 3, 1, 3)

#endif /* _XENBUS_REVISION_H */
