# Driver package (issue 6): tools/mkcat, a build-time test certificate, and
# out/xenbus/{x64,x86}/ with signed images, xenbus.inf, signed xenbus.cat,
# install.ps1, uninstall.ps1 and the public test certificate.
#
# Images come from mk/windows.mk: WIN_IMAGES_x64 and WIN_IMAGES_x86 list the
# stripped images of each architecture. That file is read after this one, so
# the package rule names them through secondary expansion. An architecture
# without images gets no package (a note is printed).

PKG_BUILD := $(BUILD)/package
PKG_OUT ?= out/xenbus
PKG_ARCHES := x64 x86
MKCAT := $(PKG_BUILD)/mkcat
MKCAT_ASAN := $(PKG_BUILD)/mkcat-asan
MKCAT_SRCS := $(sort $(wildcard tools/mkcat/*.c))
MKCAT_HDRS := $(wildcard tools/mkcat/*.h)
TESTSIGN := $(PKG_BUILD)/testsign

# Package identity. VENDOR_DEVICE_ID adds the vendor platform device
# (PCI\VEN_5853&DEV_<id>&SUBSYS_<id>5853&REV_01); empty drops it.
# PACKAGE_OPTIONS may hold FORCE_ACTIVATE (INF-time filter registration).
# The version is the images' (src/windows/common/version.h, or XB_VERSION_*
# on the make command line), so DriverVer matches what XenTouch compares.
PKG_VERSION_H := src/windows/common/version.h
pkg_version_part = $(or $(XB_VERSION_$(1)),$(shell sed -n \
	's/^\#define XB_VERSION_$(1) \([0-9][0-9]*\).*/\1/p' $(PKG_VERSION_H) 2>/dev/null),0)
PACKAGE_VERSION ?= $(if $(wildcard $(PKG_VERSION_H)),$(call pkg_version_part,MAJOR).$(call \
	pkg_version_part,MINOR).$(call pkg_version_part,MICRO).$(call pkg_version_part,BUILD),9.1.0.0)
VENDOR_DEVICE_ID ?= C000
PACKAGE_OPTIONS ?=
# Member digests of the catalog: sha256 (catalog version 2, Windows 8 and
# later) or sha1 (version 1, which Windows 7 / Server 2008 R2 also read).
PACKAGE_CAT_HASH ?= sha256
# INF date and catalog time: the last commit's, so two builds of one tree match.
PACKAGE_EPOCH := $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct 2>/dev/null),0)

PKG_DEFINES := $(if $(VENDOR_DEVICE_ID),-D VENDOR_DEVICE_ID=$(VENDOR_DEVICE_ID)) \
	$(foreach o,$(PACKAGE_OPTIONS),-D $(o))

# Rebuild the package when its parameters change.
PKG_PARAMS := $(PKG_BUILD)/params
PKG_PARAMS_TEXT := $(PACKAGE_VERSION) $(PACKAGE_EPOCH) $(PACKAGE_CAT_HASH) $(PKG_DEFINES)
ifneq ($(PKG_PARAMS_TEXT),$(shell cat $(PKG_PARAMS) 2>/dev/null))
$(shell mkdir -p $(PKG_BUILD) && echo '$(PKG_PARAMS_TEXT)' > $(PKG_PARAMS))
endif

MKCAT_CFLAGS := -std=gnu11 -g $(HOST_WARN)

$(MKCAT): $(MKCAT_SRCS) $(MKCAT_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	gcc $(MKCAT_CFLAGS) -O2 -o $@ $(MKCAT_SRCS) -lcrypto

# Same tool under ASan/UBSan, for the malformed-input tests.
$(MKCAT_ASAN): $(MKCAT_SRCS) $(MKCAT_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	gcc $(MKCAT_CFLAGS) $(ASAN_FLAGS) -o $@ $(MKCAT_SRCS) -lcrypto

# Test-signing certificate: made once per build tree, never committed. The
# key stays under build/; the package ships only the public test.cer. The
# signing time used for images and catalog is the certificate's start, so
# signatures are deterministic for a given key.
$(TESTSIGN)/test.pem $(TESTSIGN)/test.key $(TESTSIGN)/test.cer $(TESTSIGN)/sign-time &: | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@rm -f $(TESTSIGN)/test.*
	umask 077 && openssl req -x509 -newkey rsa:3072 -sha256 -nodes -days 3650 \
		-subj "/CN=XenBus Test Signing (build-generated, not trusted)" \
		-addext "basicConstraints=critical,CA:FALSE" \
		-addext "keyUsage=critical,digitalSignature" \
		-addext "extendedKeyUsage=codeSigning" \
		-keyout $(TESTSIGN)/test.key -out $(TESTSIGN)/test.pem.tmp 2>/dev/null
	openssl x509 -in $(TESTSIGN)/test.pem.tmp -outform der -out $(TESTSIGN)/test.cer
	date -u -d "$$(openssl x509 -in $(TESTSIGN)/test.pem.tmp -noout -startdate | cut -d= -f2)" +%s \
		> $(TESTSIGN)/sign-time
	mv $(TESTSIGN)/test.pem.tmp $(TESTSIGN)/test.pem

PKG_INPUTS := src/windows/xenbus.inf src/windows/install.ps1 src/windows/uninstall.ps1 \
	tools/mkpackage $(MKCAT) $(PKG_PARAMS) $(TESTSIGN)/test.pem $(TESTSIGN)/sign-time

.SECONDEXPANSION:
$(PKG_OUT)/%/xenbus.cat: $$(WIN_IMAGES_$$*) $(PKG_INPUTS)
	$(if $(strip $(WIN_IMAGES_$*)),tools/mkpackage build --arch $* --out $(PKG_OUT)/$* \
		--template src/windows/xenbus.inf --mkcat $(MKCAT) \
		--cert $(TESTSIGN)/test.pem --key $(TESTSIGN)/test.key --cer $(TESTSIGN)/test.cer \
		--sign-time $$(cat $(TESTSIGN)/sign-time) --time $(PACKAGE_EPOCH) \
		--version $(PACKAGE_VERSION) --cat-hash $(PACKAGE_CAT_HASH) $(PKG_DEFINES) $(WIN_IMAGES_$*),\
		@echo "package: no $* images (WIN_IMAGES_$* is empty): $(PKG_OUT)/$* not built")

PKG_CATS := $(foreach a,$(PKG_ARCHES),$(PKG_OUT)/$(a)/xenbus.cat)

package: $(PKG_CATS)
# What the package of ARCH is built from, as shell assignments for the checks.
package-env-%:
	@echo "images='$(strip $(WIN_IMAGES_$*))' vendor='$(VENDOR_DEVICE_ID)' options='$(strip $(PACKAGE_OPTIONS))'"

ALL += $(MKCAT) $(MKCAT_ASAN) $(TESTSIGN)/test.pem $(PKG_CATS)
.PHONY: package
