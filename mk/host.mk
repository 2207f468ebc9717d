# Host build of the portable core (src/core), the OS services for host tests
# (src/host) and the hypervisor model (src/sim), in three variants:
#   asan  gcc, -fsanitize=address,undefined: the unit tests
#   vg    gcc without sanitizers: the same tests under valgrind, and benchmarks
#   clang clang -Wall -Wextra -Werror over the core (compile only)

HOST_DIR := $(BUILD)/host
CORE_SRCS := $(sort $(wildcard src/core/*.c))
HOSTOS_SRCS := $(sort $(wildcard src/host/*.c))
SIM_SRCS := $(sort $(wildcard src/sim/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
TESTLIB_SRCS := $(sort $(wildcard tests/unit/lib/*.c))
BENCH_SRCS := $(sort $(wildcard bench/bench_*.c))

HOST_WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter
HOST_CPPFLAGS := -Isrc/core -Isrc/host -Isrc/sim -Itests/unit/lib -I$(XEN_INCLUDE) -MMD -MP
HOST_CFLAGS := -std=gnu11 -g $(HOST_WARN)
ASAN_FLAGS := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
VG_FLAGS := -O2

# $(call host_objs,variant,sources)
host_objs = $(patsubst %.c,$(HOST_DIR)/$(1)/%.o,$(2))

define host_variant
$(HOST_DIR)/$(1)/%.o: %.c | $(HEADERS_STAMP)
	@mkdir -p $$(@D)
	$(2) $(HOST_CPPFLAGS) $(HOST_CFLAGS) $(3) -c $$< -o $$@

$(HOST_DIR)/$(1)/libxb.a: $(call host_objs,$(1),$(CORE_SRCS) $(HOSTOS_SRCS) $(SIM_SRCS) $(TESTLIB_SRCS))
	@rm -f $$@
	ar rcs $$@ $$^

$(HOST_DIR)/$(1)/bin/%: $(HOST_DIR)/$(1)/tests/unit/%.o $(HOST_DIR)/$(1)/libxb.a
	@mkdir -p $$(@D)
	$(2) $(3) -o $$@ $$< $(HOST_DIR)/$(1)/libxb.a -lcmocka -lpthread

-include $(patsubst %.o,%.d,$(call host_objs,$(1),$(CORE_SRCS) $(HOSTOS_SRCS) $(SIM_SRCS) $(UNIT_SRCS) $(TESTLIB_SRCS) $(BENCH_SRCS)))
endef

$(eval $(call host_variant,asan,gcc,$(ASAN_FLAGS)))
$(eval $(call host_variant,vg,gcc,$(VG_FLAGS)))

UNIT_NAMES := $(patsubst tests/unit/%.c,%,$(UNIT_SRCS))
UNIT_ASAN := $(addprefix $(HOST_DIR)/asan/bin/,$(UNIT_NAMES))
UNIT_VG := $(addprefix $(HOST_DIR)/vg/bin/,$(UNIT_NAMES))

# Benchmarks: optimised, no sanitizers, run by tools/run-bench.
$(HOST_DIR)/vg/bin/%: $(HOST_DIR)/vg/bench/%.o $(HOST_DIR)/vg/libxb.a
	@mkdir -p $(@D)
	gcc $(VG_FLAGS) -o $@ $< $(HOST_DIR)/vg/libxb.a -lpthread
BENCH_BINS := $(patsubst bench/%.c,$(HOST_DIR)/vg/bin/%,$(BENCH_SRCS))

# The core must also build warning-free with clang.
CLANG_STAMPS := $(patsubst src/core/%.c,$(HOST_DIR)/clang/%.ok,$(CORE_SRCS))
$(HOST_DIR)/clang/%.ok: src/core/%.c | $(HEADERS_STAMP)
	@mkdir -p $(@D)
	clang -std=gnu11 -Isrc/core -I$(XEN_INCLUDE) $(HOST_WARN) -Wno-unknown-warning-option \
		-fsyntax-only $<
	@touch $@

ALL += $(UNIT_ASAN) $(UNIT_VG) $(BENCH_BINS) $(CLANG_STAMPS)
host: $(UNIT_ASAN) $(UNIT_VG) $(BENCH_BINS) $(CLANG_STAMPS)
.PHONY: host
