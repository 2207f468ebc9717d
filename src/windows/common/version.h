/*
 * Package version: XenTouch compares its callers' numbers with these, and
 * the unplug preamble reports them to QEMU. The build may override them
 * (make XB_VERSION_MAJOR=...).
 */
#ifndef XB_VERSION_H
#define XB_VERSION_H

#ifndef XB_VERSION_MAJOR
#define XB_VERSION_MAJOR 9
#endif
#ifndef XB_VERSION_MINOR
#define XB_VERSION_MINOR 1
#endif
#ifndef XB_VERSION_MICRO
#define XB_VERSION_MICRO 0
#endif
#ifndef XB_VERSION_BUILD
#define XB_VERSION_BUILD 0
#endif

#endif /* XB_VERSION_H */
