# Windows kernel images with Debian's mingw-w64 (x64 and x86), see BUILD.md.
# Outputs under $(BUILD)/win/<arch>/:
#   xen.sys         stripped image to ship
#   xen.debug.sys   the same image before strip (DWARF, for gdb/addr2line)
#   libxen.a        import library for xenbus.sys / xenfilt.sys
# WIN_IMAGES_x64 / WIN_IMAGES_x86 list the stripped images (package assembly).

WIN_DIR := $(BUILD)/win
WIN_ARCHS := x64 x86
WIN_TRIPLET_x64 := x86_64-w64-mingw32
WIN_TRIPLET_x86 := i686-w64-mingw32

WIN_COMMON_SRCS := $(sort $(wildcard src/windows/common/*.c))
WIN_XEN_SRCS := $(sort $(wildcard src/windows/xen/*.c))

WIN_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-multichar -fno-strict-aliasing \
	-fno-common -fno-stack-protector -fno-builtin-printf -fno-omit-frame-pointer \
	--param=min-pagesize=0 \
	-ffile-prefix-map=$(CURDIR)/= -ffile-prefix-map=$(BUILD)/=build/ \
	-Isrc/windows/common -Isrc/windows/xen -Isrc/core -MMD -MP
# Package version overrides (make XB_VERSION_MAJOR=... , see
# src/windows/common/version.h; mk/package.mk reads the same), recorded so
# that changing them rebuilds the objects.
WIN_VERSION_DEFS := $(foreach v,MAJOR MINOR MICRO BUILD,$(if $(XB_VERSION_$(v)),-DXB_VERSION_$(v)=$(XB_VERSION_$(v))))
WIN_CFLAGS += $(WIN_VERSION_DEFS)

$(WIN_DIR)/version.flags: win-force
	@mkdir -p $(@D)
	@echo '$(WIN_VERSION_DEFS)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

win-force:
.PHONY: win-force

# Xen's headers as an LLP64 compiler must see them (tools/xen-headers-llp64).
WIN_XEN_INCLUDE_x64 := $(WIN_DIR)/x64/xen-include
WIN_XEN_INCLUDE_x86 := $(XEN_INCLUDE)
WIN_CFLAGS_x64 := -I$(WIN_XEN_INCLUDE_x64) -I/usr/$(WIN_TRIPLET_x64)/include/ddk
WIN_CFLAGS_x86 := -I$(WIN_XEN_INCLUDE_x86) -I/usr/$(WIN_TRIPLET_x86)/include/ddk \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -mgeneral-regs-only

# A driver is an EXE-type image: no -shared. No timestamp: reproducible.
WIN_LDFLAGS := -nostdlib -nostartfiles -Wl,--subsystem,native:6.1 -Wl,--dynamicbase \
	-Wl,--nxcompat -Wl,--wdmdriver -Wl,--file-alignment,0x200 -Wl,--section-alignment,0x1000 \
	-Wl,--disable-auto-import -Wl,--disable-runtime-pseudo-reloc -Wl,--enable-reloc-section \
	-Wl,--no-insert-timestamp -Wl,--kill-at
WIN_LDFLAGS_x64 := -Wl,--entry,DriverEntry -Wl,--image-base,0x140000000
WIN_LDFLAGS_x86 := -Wl,--entry,_DriverEntry@8 -Wl,--image-base,0x10000


# $(call win_arch,arch)
define win_arch
WIN_OBJS_XEN_$(1) := $(patsubst %.c,$(WIN_DIR)/$(1)/obj/%.o,$(CORE_SRCS) $(WIN_COMMON_SRCS) $(WIN_XEN_SRCS))

$(WIN_DIR)/$(1)/obj/%.o: %.c $(WIN_DIR)/version.flags | $(HEADERS_STAMP) $(WIN_DIR)/x64/xen-include/VERSION
	@mkdir -p $$(@D)
	$(WIN_TRIPLET_$(1))-gcc $(WIN_CFLAGS) $(WIN_CFLAGS_$(1)) -c $$< -o $$@

# Private copies of libgcc (64-bit division, stack probes) and of the kernel
# import libraries (libntoskrnl.a also carries helpers such as memcmp)
# without .eh_frame, which would land as a stray section in the image.
WIN_LIBS_$(1) := $(addprefix $(WIN_DIR)/$(1)/lib/,libgcc.a libntoskrnl.a libhal.a)

$(WIN_DIR)/$(1)/lib/libgcc.a: | $(DEPS_STAMP)
	@mkdir -p $$(@D)
	$(WIN_TRIPLET_$(1))-objcopy -R .eh_frame $$$$($(WIN_TRIPLET_$(1))-gcc -print-libgcc-file-name) $$@

$(WIN_DIR)/$(1)/lib/%.a: | $(DEPS_STAMP)
	@mkdir -p $$(@D)
	$(WIN_TRIPLET_$(1))-objcopy -R .eh_frame /usr/$(WIN_TRIPLET_$(1))/lib/$$*.a $$@

$(WIN_DIR)/$(1)/xen.def: src/windows/xen/xen.exports tools/win-def
	@mkdir -p $$(@D)
	tools/win-def $(1) $$< > $$@

$(WIN_DIR)/$(1)/xen.debug.sys: $$(WIN_OBJS_XEN_$(1)) $(WIN_DIR)/$(1)/xen.def $$(WIN_LIBS_$(1))
	$(WIN_TRIPLET_$(1))-gcc $(WIN_LDFLAGS) $(WIN_LDFLAGS_$(1)) -o $$@ \
		$$(WIN_OBJS_XEN_$(1)) $(WIN_DIR)/$(1)/xen.def $$(WIN_LIBS_$(1))

$(WIN_DIR)/$(1)/%.sys: $(WIN_DIR)/$(1)/%.debug.sys
	# strip stamps the time unless SOURCE_DATE_EPOCH says otherwise.
	SOURCE_DATE_EPOCH=0 $(WIN_TRIPLET_$(1))-strip -o $$@ $$<

$(WIN_DIR)/$(1)/libxen.a: $(WIN_DIR)/$(1)/xen.def | $(DEPS_STAMP)
	# From inside the directory: dlltool names members and symbols after the path.
	cd $(WIN_DIR)/$(1) && $(WIN_TRIPLET_$(1))-dlltool -k -d xen.def -l libxen.a

# xenprobe.sys: test-only importer of xen.sys (tests/package/xenprobe), in
# test/ so it is never taken for a shipped image.
$(WIN_DIR)/$(1)/test/xenprobe.debug.sys: $(WIN_DIR)/$(1)/obj/tests/package/xenprobe/xenprobe.o \
		$(WIN_DIR)/$(1)/libxen.a $$(WIN_LIBS_$(1))
	@mkdir -p $$(@D)
	$(WIN_TRIPLET_$(1))-gcc $(WIN_LDFLAGS) $(WIN_LDFLAGS_$(1)) -o $$@ $$< \
		$(WIN_DIR)/$(1)/libxen.a $$(WIN_LIBS_$(1))

# badprobe.sys: test-only driver that faults in Wine (checks the Wine check).
$(WIN_DIR)/$(1)/test-bad/badprobe.sys: $(WIN_DIR)/$(1)/obj/tests/package/badprobe/badprobe.o \
		$$(WIN_LIBS_$(1))
	@mkdir -p $$(@D)
	$(WIN_TRIPLET_$(1))-gcc $(WIN_LDFLAGS) $(WIN_LDFLAGS_$(1)) -o $$@ $$< $$(WIN_LIBS_$(1))

$(WIN_DIR)/$(1)/test/%.sys: $(WIN_DIR)/$(1)/test/%.debug.sys
	SOURCE_DATE_EPOCH=0 $(WIN_TRIPLET_$(1))-strip -o $$@ $$<

WIN_TEST_IMAGES_$(1) := $(WIN_DIR)/$(1)/test/xenprobe.sys $(WIN_DIR)/$(1)/test/xenprobe.debug.sys \
	$(WIN_DIR)/$(1)/test-bad/badprobe.sys

WIN_IMAGES_$(1) := $(WIN_DIR)/$(1)/xen.sys
WIN_DEBUG_$(1) := $(WIN_DIR)/$(1)/xen.debug.sys
WIN_IMPLIBS_$(1) := $(WIN_DIR)/$(1)/libxen.a

-include $$(patsubst %.o,%.d,$$(WIN_OBJS_XEN_$(1)))
endef

$(WIN_DIR)/x64/xen-include/VERSION: $(HEADERS_STAMP) tools/xen-headers-llp64
	tools/xen-headers-llp64 $(XEN_INCLUDE) $(WIN_DIR)/x64/xen-include
	cp $(HEADERS_STAMP) $@

$(foreach a,$(WIN_ARCHS),$(eval $(call win_arch,$(a))))

.PRECIOUS: $(foreach a,$(WIN_ARCHS),$(WIN_DIR)/$(a)/xen.debug.sys $(WIN_DIR)/$(a)/test/xenprobe.debug.sys)

win-images: $(foreach a,$(WIN_ARCHS),$(WIN_IMAGES_$(a)) $(WIN_DEBUG_$(a)) $(WIN_IMPLIBS_$(a)))
ALL += $(foreach a,$(WIN_ARCHS),$(WIN_IMAGES_$(a)) $(WIN_DEBUG_$(a)) $(WIN_IMPLIBS_$(a)) \
	$(WIN_TEST_IMAGES_$(a)))
win-test-images: $(foreach a,$(WIN_ARCHS),$(WIN_TEST_IMAGES_$(a)))
.PHONY: win-images win-test-images
