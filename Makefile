# XenBus build entry points (see README.md):
#   make          build everything that exists (host tests, test kernel, driver package)
#   make check    run every test stage; ends with "N passed, M failed"
#   make bench    print "bench <name> <value> <unit>" lines
#   make fuzz     long fuzz runs (FUZZ_SECONDS, default 600 per harness)
# Each part of the project adds its rules in mk/*.mk, its packages in
# tools/deps/*.txt and its test stages in tests/stages/.

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:

BUILD ?= build
XEN_HEADERS := $(BUILD)/xen-headers
XEN_INCLUDE := $(XEN_HEADERS)/include
DEPS_STAMP := $(BUILD)/.deps-stamp
HEADERS_STAMP := $(XEN_HEADERS)/VERSION

# Parts append the files they build to ALL.
ALL :=

$(DEPS_STAMP): tools/install-deps $(wildcard tools/deps/*.txt)
	@mkdir -p $(@D)
	tools/install-deps
	@touch $@

$(HEADERS_STAMP): tools/get-xen-headers | $(DEPS_STAMP)
	tools/get-xen-headers --out $(XEN_HEADERS)

deps: $(DEPS_STAMP)
headers: $(HEADERS_STAMP)

include $(sort $(wildcard mk/*.mk))

all: $(ALL)

check: all
	@tools/run-checks

bench: all
	@tools/run-bench

clean:
	rm -rf $(BUILD) out

.PHONY: all check bench clean deps headers
