# The Linux PVH peer of the real-Xen benchmark (tools/xen-bench): a static
# /init (tests/xen/peer/peer-init.c) in a one-file initramfs for Debian's
# kernel, booted next to the test kernel by tests/xen/peer/run.sh.
PEER_DIR := $(BUILD)/peer
PEER_INIT := $(PEER_DIR)/root/init
PEER_INITRD := $(PEER_DIR)/peer-initrd.img

$(PEER_INIT): tests/xen/peer/peer-init.c mk/peer.mk | $(DEPS_STAMP) $(HEADERS_STAMP)
	@mkdir -p $(@D)
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -I$(XEN_INCLUDE) -static -o $@ $<

$(PEER_INITRD): $(PEER_INIT)
	cd $(PEER_DIR)/root && echo init | cpio -o -H newc --quiet | gzip -1 >../peer-initrd.img.tmp
	mv $@.tmp $@

ALL += $(PEER_INITRD)

# The side-by-side numbers alone (make bench runs them too).
bench-xen: all
	@tools/xen-bench
.PHONY: bench-xen

