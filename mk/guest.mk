# The PVH test kernel (src/guest): the portable core, the guest's OS
# services and the real-Xen scenarios (tests/xen) in one freestanding 64-bit
# ELF with the PHYS32 entry note, run by tools/xen-rig (make check-xen).
# GUEST_CFLAGS is deferred: HOST_WARN comes from host.mk, included later.

GUEST_DIR := $(BUILD)/guest
GUEST_ELF := $(GUEST_DIR)/xbguest.elf
GUEST_C := $(sort $(wildcard src/core/*.c)) $(sort $(wildcard src/guest/*.c)) $(sort $(wildcard tests/xen/*.c))
GUEST_S := $(sort $(wildcard src/guest/*.S))
GUEST_OBJS := $(patsubst %.c,$(GUEST_DIR)/%.o,$(GUEST_C)) $(patsubst %.S,$(GUEST_DIR)/%.o,$(GUEST_S))
GUEST_CPPFLAGS := -Isrc/core -Isrc/guest -Itests/xen -I$(XEN_INCLUDE) -MMD -MP
GUEST_CFLAGS = -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-builtin-printf -mno-red-zone -mgeneral-regs-only -mcmodel=small -fno-asynchronous-unwind-tables -fno-toplevel-reorder \
	$(HOST_WARN)
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,--no-warn-rwx-segments -Wl,-T,src/guest/guest.ld

$(GUEST_DIR)/%.o: %.c mk/guest.mk | $(HEADERS_STAMP)
	@mkdir -p $(@D)
	gcc $(GUEST_CPPFLAGS) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_DIR)/%.o: %.S mk/guest.mk | $(HEADERS_STAMP)
	@mkdir -p $(@D)
	gcc $(GUEST_CPPFLAGS) -fno-pic -c $< -o $@

# The objects are .SECONDARY: a missing one does not relink the kernel by
# itself, so a tree built before a new scenario file existed would keep a
# kernel without that suite. A new source file is newer than the kernel.
$(GUEST_ELF): $(GUEST_OBJS) src/guest/guest.ld $(GUEST_C)
	gcc $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(GUEST_OBJS) -lgcc

-include $(patsubst %.o,%.d,$(GUEST_OBJS))

ALL += $(GUEST_ELF)
guest: $(GUEST_ELF)
.PHONY: guest

# Only the real-Xen stage (make check runs it with every other stage).
check-xen: all
	@STAGES="50-xen" tools/run-checks
.PHONY: check-xen

# dom0's helper for the scenarios (tests/xen/dom0/xt-dom0.c): static, built
# against the Linux uapi headers in /usr/include/xen (not Xen's public ones).
DOM0_HELPER := $(BUILD)/dom0/bin/xt-dom0
$(DOM0_HELPER): tests/xen/dom0/xt-dom0.c | $(DEPS_STAMP) $(HEADERS_STAMP)
	@mkdir -p $(@D)
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -I$(XEN_INCLUDE) -static -o $@ $<
ALL += $(DOM0_HELPER)
