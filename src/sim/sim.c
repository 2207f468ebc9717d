#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define SIM_MAX_FAULTS 16
#define SIM_MAX_PORT_RANGES 16
#define SIM_MAX_POLLS 16
#define SIM_MAX_FINIS 32
#define SIM_DEBUG_MAX 65536
#define SIM_MAX_CMD_HANDLERS 256
#define SIM_MAX_SPACES 8

struct sim_fault {
	unsigned op;
	long cmd;
	int xen_errno;
	unsigned skip;
	unsigned count;
};

struct sim_call_count {
	unsigned op;
	long cmd;
	unsigned long n;
};

struct sim_cmd_handler {
	unsigned op;
	long cmd;
	sim_hypercall_fn fn;
};

struct sim_port_range {
	uint16_t first;
	uint16_t count;
	sim_port_in_fn in;
	sim_port_out_fn out;
};

static struct {
	struct sim_config config;
	bool live;
	uint64_t hypercall_pfn;
	sim_hypercall_fn handlers[SIM_HYPERCALLS];
	struct sim_cmd_handler cmd_handlers[SIM_MAX_CMD_HANDLERS];
	unsigned ncmd_handlers;
	sim_physmap_fn spaces[SIM_MAX_SPACES];
	struct sim_fault faults[SIM_MAX_FAULTS];
	struct sim_call_count *counts;
	size_t ncounts;
	struct sim_port_range ports[SIM_MAX_PORT_RANGES];
	unsigned nports;
	char debug[SIM_DEBUG_MAX + 1];
	size_t debug_len;
	sim_upcall_fn upcall;
	sim_upcall_gate_fn gate;
	bool upcall_pending[SIM_MAX_VCPUS];
	sim_poll_fn polls[SIM_MAX_POLLS];
	unsigned npolls;
	void (*finis[SIM_MAX_FINIS])(void);
	unsigned nfinis;
	bool in_poll;
} sim;

static const struct sim_config sim_default_config = {
	.vcpus = 1,
	.cpuid_base = 0x40000000,
	.xen_major = 4,
	.xen_minor = 17,
	.domid = 1,
};

/* ---- machine callbacks for the host OS services ---- */

static void sim_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	uint32_t base = sim.config.cpuid_base;

	(void)subleaf;
	if (sim.config.no_xen || leaf < base || leaf > base + 4)
		return;
	switch (leaf - base) {
	case 0:
		regs[0] = base + 4;	/* highest Xen leaf */
		memcpy(&regs[1], "XenV", 4);
		memcpy(&regs[2], "MMXe", 4);
		memcpy(&regs[3], "nVMM", 4);
		break;
	case 1:
		regs[0] = ((uint32_t)sim.config.xen_major << 16) | sim.config.xen_minor;
		break;
	case 2:
		regs[0] = 1;		/* hypercall pages */
		regs[1] = 0x40000000;	/* MSR that installs them */
		break;
	case 3:
	case 4:
		break;
	}
}

static void sim_wrmsr(uint32_t msr, uint64_t value)
{
	if (msr != 0x40000000 || sim.config.no_xen)
		return;
	/* Low 12 bits: page index within a multi-page area; we have one page. */
	if ((value & 0xfff) != 0)
		return;
	sim.hypercall_pfn = value >> 12;
	/* Fill the page with a recognisable pattern (int3), as if code. */
	memset(sim_frame(sim.hypercall_pfn), 0xcc, 4096);
}

static unsigned long *sim_count_slot(unsigned op, long cmd)
{
	size_t i;
	struct sim_call_count *grown;

	for (i = 0; i < sim.ncounts; i++)
		if (sim.counts[i].op == op && sim.counts[i].cmd == cmd)
			return &sim.counts[i].n;
	grown = realloc(sim.counts, (sim.ncounts + 1) * sizeof(*grown));
	if (!grown)
		abort();
	sim.counts = grown;
	sim.counts[sim.ncounts] = (struct sim_call_count){ op, cmd, 0 };
	return &sim.counts[sim.ncounts++].n;
}

static int sim_injected_fault(unsigned op, long cmd)
{
	unsigned i;

	for (i = 0; i < SIM_MAX_FAULTS; i++) {
		struct sim_fault *f = &sim.faults[i];

		if (f->count == 0 || f->op != op || (f->cmd != SIM_ANY_CMD && f->cmd != cmd))
			continue;
		if (f->skip > 0) {
			f->skip--;
			continue;
		}
		f->count--;
		return f->xen_errno;
	}
	return 0;
}

static long sim_hypercall(const void *entry, const uintptr_t args[5])
{
	uintptr_t page = (uintptr_t)(sim.hypercall_pfn << 12);
	uintptr_t at = (uintptr_t)entry;
	unsigned op;
	long cmd = (long)args[0];
	int err;

	/* A call through anything but an installed page entry would crash a
	 * real guest: treat it as a bug in the core. */
	if (!sim.hypercall_pfn || at < page || at >= page + 4096 || (at - page) % 32)
		os_bug(__FILE__, __LINE__, "hypercall through an invalid entry");
	op = (unsigned)((at - page) / 32);
	(*sim_count_slot(op, cmd))++;
	err = sim_injected_fault(op, cmd);
	if (err)
		return -err;
	for (unsigned i = 0; i < sim.ncmd_handlers; i++)
		if (sim.cmd_handlers[i].op == op && sim.cmd_handlers[i].cmd == cmd)
			return sim.cmd_handlers[i].fn(args);
	if (op >= SIM_HYPERCALLS || !sim.handlers[op])
		return -XEN_ENOSYS;
	return sim.handlers[op](args);
}

static long sim_add_to_physmap(const uintptr_t args[5])
{
	struct xen_add_to_physmap *xatp = (void *)args[1];

	if (!xatp)
		return -XEN_EFAULT;
	if (xatp->domid != DOMID_SELF && xatp->domid != sim.config.domid)
		return -XEN_EPERM;
	if (xatp->space >= SIM_MAX_SPACES || !sim.spaces[xatp->space])
		return -XEN_EINVAL;
	return sim.spaces[xatp->space](xatp);
}

static struct sim_port_range *sim_port_find(uint16_t port)
{
	unsigned i;

	for (i = 0; i < sim.nports; i++)
		if (port >= sim.ports[i].first && port - sim.ports[i].first < sim.ports[i].count)
			return &sim.ports[i];
	return NULL;
}

static uint32_t sim_port_in(uint16_t port, unsigned size)
{
	struct sim_port_range *r = sim_port_find(port);

	if (r && r->in)
		return r->in(port, size);
	return 0xffffffffu >> (32 - 8 * size);
}

static void sim_port_out(uint16_t port, unsigned size, uint32_t value)
{
	struct sim_port_range *r = sim_port_find(port);

	if (r && r->out)
		r->out(port, size, value);
}

static void sim_debug_out(uint16_t port, unsigned size, uint32_t value)
{
	(void)port;
	(void)size;
	if (sim.debug_len == SIM_DEBUG_MAX) {
		memmove(sim.debug, sim.debug + SIM_DEBUG_MAX / 2, SIM_DEBUG_MAX / 2);
		sim.debug_len = SIM_DEBUG_MAX / 2;
	}
	sim.debug[sim.debug_len++] = (char)value;
	sim.debug[sim.debug_len] = '\0';
}

static const struct host_machine sim_machine = {
	.cpuid = sim_cpuid,
	.wrmsr = sim_wrmsr,
	.hypercall = sim_hypercall,
	.port_in = sim_port_in,
	.port_out = sim_port_out,
	.poll = sim_poll,
};

/* ---- life cycle ---- */

static void sim_run_finis(void)
{
	while (sim.nfinis > 0)
		sim.finis[--sim.nfinis]();
}

void sim_init(const struct sim_config *config)
{
	sim_fini();
	memset(&sim, 0, sizeof(sim));
	sim.config = config ? *config : sim_default_config;
	if (sim.config.vcpus == 0 || sim.config.vcpus > SIM_MAX_VCPUS)
		sim.config.vcpus = 1;
	if (sim.config.cpuid_base == 0)
		sim.config.cpuid_base = 0x40000000;
	sim.live = true;
	sim_register_ports(0xe9, 1, NULL, sim_debug_out);
	sim_register_hypercall_cmd(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
				   sim_add_to_physmap);
	host_set_cpu_count(sim.config.vcpus);
	host_set_cpu(0);
	host_set_machine(&sim_machine);
}

void sim_fini(void)
{
	if (!sim.live)
		return;
	sim_run_finis();
	free(sim.counts);
	sim.counts = NULL;
	sim.ncounts = 0;
	sim.live = false;
	host_set_machine(NULL);
}

const struct sim_config *sim_config(void)
{
	return &sim.config;
}

void sim_register_fini(void (*fn)(void))
{
	if (sim.nfinis == SIM_MAX_FINIS)
		abort();
	sim.finis[sim.nfinis++] = fn;
}

uint64_t sim_hypercall_page_pfn(void)
{
	return sim.hypercall_pfn;
}

/* ---- hypercalls ---- */

void sim_register_hypercall(unsigned op, sim_hypercall_fn fn)
{
	if (op >= SIM_HYPERCALLS)
		abort();
	sim.handlers[op] = fn;
}

void sim_register_hypercall_cmd(unsigned op, long cmd, sim_hypercall_fn fn)
{
	unsigned i;

	for (i = 0; i < sim.ncmd_handlers; i++) {
		if (sim.cmd_handlers[i].op == op && sim.cmd_handlers[i].cmd == cmd) {
			sim.cmd_handlers[i].fn = fn;
			return;
		}
	}
	if (sim.ncmd_handlers == SIM_MAX_CMD_HANDLERS)
		abort();
	sim.cmd_handlers[sim.ncmd_handlers++] = (struct sim_cmd_handler){ op, cmd, fn };
}

void sim_register_physmap_space(unsigned space, sim_physmap_fn fn)
{
	if (space >= SIM_MAX_SPACES)
		abort();
	sim.spaces[space] = fn;
}

void sim_fail(unsigned op, long cmd, int xen_errno, unsigned skip, unsigned count)
{
	unsigned i;
	struct sim_fault *free_slot = NULL;

	for (i = 0; i < SIM_MAX_FAULTS; i++) {
		struct sim_fault *f = &sim.faults[i];

		if (f->count && f->op == op && f->cmd == cmd) {
			free_slot = f;
			break;
		}
		if (!f->count && !free_slot)
			free_slot = f;
	}
	if (!free_slot)
		abort();
	*free_slot = (struct sim_fault){ op, cmd, xen_errno, skip, count };
}

void sim_fail_clear(void)
{
	memset(sim.faults, 0, sizeof(sim.faults));
}

unsigned long sim_calls(unsigned op, long cmd)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < sim.ncounts; i++)
		if (sim.counts[i].op == op && (cmd == SIM_ANY_CMD || sim.counts[i].cmd == cmd))
			n += sim.counts[i].n;
	return n;
}

/* ---- ports ---- */

void sim_register_ports(uint16_t first, uint16_t count, sim_port_in_fn in,
			sim_port_out_fn out)
{
	if (sim.nports == SIM_MAX_PORT_RANGES)
		abort();
	sim.ports[sim.nports++] = (struct sim_port_range){ first, count, in, out };
}

const char *sim_debug_output(void)
{
	return sim.debug;
}

void sim_debug_clear(void)
{
	sim.debug_len = 0;
	sim.debug[0] = '\0';
}

/* ---- upcalls and polling ---- */

void sim_set_upcall(sim_upcall_fn fn)
{
	sim.upcall = fn;
}

void sim_set_upcall_gate(sim_upcall_gate_fn gate)
{
	sim.gate = gate;
}

void sim_raise_upcall(unsigned vcpu)
{
	if (vcpu < SIM_MAX_VCPUS)
		sim.upcall_pending[vcpu] = true;
}

unsigned sim_deliver(void)
{
	unsigned vcpu, ran = 0;
	unsigned saved = os_cpu_current();

	for (vcpu = 0; vcpu < sim.config.vcpus; vcpu++) {
		if (!sim.upcall_pending[vcpu] || !sim.upcall)
			continue;
		if (sim.gate && !sim.gate(vcpu))
			continue;
		sim.upcall_pending[vcpu] = false;
		host_set_cpu(vcpu);
		sim.upcall(vcpu);
		ran++;
	}
	host_set_cpu(saved);
	return ran;
}

void sim_register_poll(sim_poll_fn fn)
{
	if (sim.npolls == SIM_MAX_POLLS)
		abort();
	sim.polls[sim.npolls++] = fn;
}

void sim_poll(void)
{
	unsigned i;

	/* A poll function that waits must not recurse into polling. */
	if (sim.in_poll)
		return;
	sim.in_poll = true;
	for (i = 0; i < sim.npolls; i++)
		sim.polls[i]();
	sim.in_poll = false;
	sim_deliver();
}
