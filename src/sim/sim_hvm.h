/*
 * Model of the domain's HVM parameters (HVMOP_get_param / HVMOP_set_param)
 * as the toolstack leaves them: store and console frames and ports, the
 * callback IRQ. Unknown indices read 0, as in a fresh Xen domain.
 */
#ifndef XB_SIM_HVM_H
#define XB_SIM_HVM_H

#include "sim.h"

/* Register the handlers (after sim_init); every parameter starts at 0. */
void sim_hvm_init(void);
/* The toolstack's side. Indices >= HVM_NR_PARAMS are ignored / read 0. */
void sim_hvm_set(uint32_t index, uint64_t value);
uint64_t sim_hvm_get(uint32_t index);
/* Guest HVMOP_set_param calls that succeeded. */
unsigned long sim_hvm_guest_sets(void);

#endif /* XB_SIM_HVM_H */
