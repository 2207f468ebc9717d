/* The whole model (every part a toolstack sets up) and a platform on it. */
#ifndef XB_PLATFORM_FIXTURE_H
#define XB_PLATFORM_FIXTURE_H

#include "platform.h"
#include "sim_console.h"
#include "sim_evtchn.h"
#include "sim_gnttab.h"
#include "sim_hvm.h"
#include "sim_memory.h"
#include "sim_platform.h"
#include "sim_sched.h"
#include "sim_suspend.h"
#include "sim_version.h"
#include "sim_xenstore.h"

#define PLATFORM_FIXTURE_VCPUS 2

/* Fresh model with PLATFORM_FIXTURE_VCPUS vCPUs, virtual time. */
void platform_fixture_model(void);
/* A config for it: identity frame mapping, every vCPU with an upcall. */
void platform_fixture_config(struct platform_config *cfg);
/* Bring a platform up and down once, so pages the core keeps for the life
 * of the image (shared info, FIFO control blocks) exist before a test
 * takes its allocation baseline. */
void platform_fixture_warm_up(void);
/* Let the model, upcalls and deferred work run until idle. */
void platform_fixture_settle(void);
/* Tear the model down and reset the host services. */
void platform_fixture_done(void);

#endif
