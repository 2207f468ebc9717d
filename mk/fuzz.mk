# libFuzzer harnesses: every tests/fuzz/fuzz_*.c is one. Each is linked with
# the core, the host OS services and the hypervisor model, all compiled by
# clang with ASan + UBSan and fuzzer coverage. No -Werror here: host.mk
# already holds the core to clang -Werror, and a clang-only warning in test
# plumbing must not break `make`.
#   make            builds them (build/fuzz/bin/fuzz_*)
#   make check      runs each briefly (tests/stages/40-fuzz.sh)
#   make fuzz       runs each for FUZZ_SECONDS (default 600)
# Corpora and crash artifacts stay under build/fuzz/. A harness may come with
# a libFuzzer dictionary tests/fuzz/fuzz_NAME.dict and seed inputs in
# tests/fuzz/fuzz_NAME/ (both optional).

FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
# (mk/*.mk are read in name order: this file cannot use host.mk's variables.)
FUZZ_LIB_SRCS := $(sort $(wildcard src/core/*.c src/host/*.c src/sim/*.c))
FUZZ_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CPPFLAGS := -Isrc/core -Isrc/host -Isrc/sim -Itests/unit/lib -I$(XEN_INCLUDE) -MMD -MP
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra -Wshadow \
	-Wno-unused-parameter $(FUZZ_SANITIZE)
FUZZ_SECONDS ?= 600

FUZZ_LIB_OBJS := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_LIB_SRCS))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/bin/%,$(FUZZ_SRCS))

$(FUZZ_DIR)/obj/%.o: %.c | $(HEADERS_STAMP)
	@mkdir -p $(@D)
	clang $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/libxb-fuzz.a: $(FUZZ_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/bin/%: $(FUZZ_DIR)/obj/tests/fuzz/%.o $(FUZZ_DIR)/libxb-fuzz.a
	@mkdir -p $(@D)
	clang $(FUZZ_SANITIZE) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/libxb-fuzz.a -lpthread

-include $(patsubst %.o,%.d,$(FUZZ_LIB_OBJS) $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/obj/tests/fuzz/%.o,$(FUZZ_SRCS)))

ALL += $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=0 sh tests/stages/40-fuzz.sh

.PHONY: fuzz
