# SPDX-License-Identifier: GPL-2.0-only
# lttng-xen top-level build.  `make` builds the programs into build/,
# `make demo` shows the main job, `make check` runs every test.  Each
# target installs the Debian packages it needs (mk/deps.sh, idempotent).

BUILD   ?= build
CC      ?= gcc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -std=gnu11
XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
XML_LIBS   := $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)

# Debian packages, by purpose.
DEPS_BUILD := gcc make pkg-config libxml2-dev libxml2-utils libxen-dev
DEPS_DEMO  := $(DEPS_BUILD) babeltrace2 python3 python3-bt2
# What mk/domu-image.sh needs (bench-xen's domU; its dry-run test in check).
DEPS_DOMU  := busybox-static cpio
# LTTng-UST and its session daemon: the merged-view test, the benchmark.
DEPS_UST   := liblttng-ust-dev lttng-tools
# inotify-tools: the tests wait for files with inotifywait (tests/lib);
# pahole: the sysctl payload's layout, 32 against 64 bits.
DEPS_CHECK := $(DEPS_DEMO) clang libclang-rt-14-dev gnuplot-nox $(DEPS_DOMU) \
	      $(DEPS_UST) inotify-tools pahole
DEPS_BENCH := $(DEPS_DEMO) $(DEPS_UST) valgrind
DEPS_BENCH_XEN := $(DEPS_DEMO) gnuplot-nox libpopt0 qemu-system-x86 \
		  $(DEPS_DOMU) kmod gzip libc6-dev

FACILITIES := $(sort $(wildcard facilities/*.xml))
GENEVENT   := $(BUILD)/bin/genevent
GEN        := $(BUILD)/gen

GENEVENT_SRCS := genevent/main.c genevent/parse.c genevent/check.c \
		 genevent/util.c genevent/output.c genevent/gen-xen.c \
		 genevent/gen-ctf.c genevent/gen-doc.c genevent/gen-json.c \
		 genevent/gen-remap.c genevent/gen-linux.c
GENEVENT_LIB  := $(filter-out genevent/main.c,$(GENEVENT_SRCS))
GENEVENT_HDRS := genevent/model.h genevent/output.h

# User-space tracer core: the ring buffer and the probe/remap/control code
# compiled into Xen, here with the user-space platform layer.
CORE_CFLAGS := -Iinclude -Iringbuffer -Iringbuffer/user -Itransport -I$(GEN)/xen
CORE_SRCS   := ringbuffer/frontend.c $(wildcard tracer/*.c) \
	       $(GEN)/xen/events.c $(GEN)/xen/xentrace-map.c
# genevent's headers (build/gen/xen/*.h) are the core's too: a facility
# change must rebuild every program compiled with them.
CORE_HDRS   := $(wildcard include/lttng-xen/*.h ringbuffer/*.h ringbuffer/user/*.h tracer/*.h) \
	       $(GEN)/.stamp

# The Xen transport (transport/transport-xen.c) is built when libxen-dev
# is there; without it the file is empty and "xen" says it is not built.
# Recursive (=): evaluated by the link recipes, after `deps` has run.
XEN_PKGS      := xencontrol xenforeignmemory xenevtchn xenstore
XEN_TRANSPORT = $(if $(shell pkg-config --exists $(XEN_PKGS) && echo y),\
	-DLX_HAVE_XEN $(shell pkg-config --cflags --libs $(XEN_PKGS)))

SIM_SRCS       := $(wildcard sim/*.c)
TRANSPORT_SRCS := $(wildcard transport/*.c)
LTTD_SRCS      := $(wildcard lttd-xen/*.c)
LTTCTL_SRCS    := $(wildcard lttctl-xen/*.c)
GUEST_SRCS     := $(wildcard lttng-xen-guest/*.c)
# spawn/: run a program, keep its last line (lttctl-xen, lttng-xen-guest).
SPAWN_SRCS     := $(wildcard spawn/*.c)
SPAWN_HDRS     := $(wildcard spawn/*.h)
IMPORT_SRCS    := $(wildcard xentrace-import/*.c)
# ctf-writer/: the trace directory as lttd-xen writes it, with the metadata
# template and genevent's event declarations built in; lttd-xen and
# lttng-xen-import write their traces with it (tests and bench/ too).
CTFW_SRCS      := $(wildcard ctf-writer/*.c) $(BUILD)/gen/ctfw-embed.c
CTFW_HDRS      := ctf-writer/ctfw.h
# The analyses of analyze/ (Python, their modules in lib/lttng-xen-analyze).
ANALYZE_PROGS := lttng-xen-analyze lttng-xen-causality lttng-xen-latency
PROGRAMS := $(GENEVENT) \
	$(if $(SIM_SRCS),$(BUILD)/bin/lttng-xen-sim) \
	$(if $(LTTD_SRCS),$(BUILD)/bin/lttd-xen) \
	$(if $(LTTCTL_SRCS),$(BUILD)/bin/lttctl-xen) \
	$(if $(GUEST_SRCS),$(BUILD)/bin/lttng-xen-guest) \
	$(BUILD)/bin/lttng-xen-compare \
	$(addprefix $(BUILD)/bin/,$(ANALYZE_PROGS)) \
	$(if $(IMPORT_SRCS),$(BUILD)/bin/lttng-xen-import)

.PHONY: all deps deps-demo deps-check deps-ust deps-bench deps-bench-xen gen docs check test-programs e2e try-hvm demo demo-sim bench bench-xen bench-hv bench-guest-ab fuzz xen xen-export linux man install clean
all: $(PROGRAMS)

deps:
	@mk/deps.sh $(DEPS_BUILD)
deps-demo:
	@mk/deps.sh $(DEPS_DEMO)
deps-check:
	@mk/deps.sh $(DEPS_CHECK)
deps-ust:
	@mk/deps.sh $(DEPS_UST)
deps-bench:
	@mk/deps.sh $(DEPS_BENCH)
deps-bench-xen:
	@mk/deps.sh $(DEPS_BENCH_XEN)

$(BUILD)/genevent/schema.c: facilities/facility.rng mk/embed.sh
	@mkdir -p $(@D)
	mk/embed.sh ge_schema $< > $@.tmp && mv $@.tmp $@

$(GENEVENT): $(GENEVENT_SRCS) $(GENEVENT_HDRS) $(BUILD)/genevent/schema.c | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(XML_CFLAGS) -Igenevent -o $@ \
		$(GENEVENT_SRCS) $(BUILD)/genevent/schema.c $(XML_LIBS)

# The libFuzzer target: parser, checks and back ends under ASan+UBSan.
$(BUILD)/bin/genevent-fuzz: $(GENEVENT_LIB) genevent/fuzz.c $(GENEVENT_HDRS) $(BUILD)/genevent/schema.c | deps-check
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined $(XML_CFLAGS) -Igenevent \
		-o $@ $(GENEVENT_LIB) genevent/fuzz.c \
		$(BUILD)/genevent/schema.c $(XML_LIBS)
fuzz: $(BUILD)/bin/genevent-fuzz

# The metadata a trace writer puts in front of its packets: the stream
# header and genevent's events, carried inside ctf-writer's users.
$(BUILD)/gen/ctfw-embed.c: ctf/stream-header.tsdl.in $(GEN)/.stamp mk/embed.sh
	( mk/embed.sh ctfw_stream_header ctf/stream-header.tsdl.in; \
	  mk/embed.sh ctfw_events_tsdl $(GEN)/ctf/events.tsdl ) > $@.tmp && mv $@.tmp $@

$(BUILD)/bin/lttng-xen-sim: $(SIM_SRCS) $(CORE_SRCS) $(CORE_HDRS) $(wildcard sim/*.h) $(GEN)/.stamp
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CORE_CFLAGS) -Isim -pthread -o $@ \
		$(SIM_SRCS) $(CORE_SRCS)

$(BUILD)/bin/lttd-xen: $(LTTD_SRCS) $(TRANSPORT_SRCS) $(CTFW_SRCS) $(CORE_HDRS) $(CTFW_HDRS) $(wildcard lttd-xen/*.h transport/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CORE_CFLAGS) -Ictf-writer -Ilttd-xen -o $@ \
		$(LTTD_SRCS) $(TRANSPORT_SRCS) $(CTFW_SRCS) $(XEN_TRANSPORT)

$(BUILD)/bin/lttctl-xen: $(LTTCTL_SRCS) $(TRANSPORT_SRCS) $(SPAWN_SRCS) $(SPAWN_HDRS) $(CORE_HDRS) $(wildcard lttctl-xen/*.h transport/*.h) $(GEN)/.stamp
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CORE_CFLAGS) -Ilttctl-xen -Ispawn -o $@ \
		$(LTTCTL_SRCS) $(TRANSPORT_SRCS) $(SPAWN_SRCS) \
		$(GEN)/xen/events.c $(XEN_TRANSPORT)

# The guests' side (dom0 and domUs): LTTng kernel tracing on the
# hypervisor's clock, and the domU's agent (xenstore).
$(BUILD)/bin/lttng-xen-guest: $(GUEST_SRCS) $(SPAWN_SRCS) $(SPAWN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -Ispawn -o $@ $(GUEST_SRCS) $(SPAWN_SRCS) \
		$(XEN_TRANSPORT)

# The lttng-xen / xentrace report (compare/): a Python script that finds
# genevent's output next to it, in $(BUILD)/gen.
$(BUILD)/bin/lttng-xen-compare: compare/lttng-xen-compare $(GEN)/.stamp
	@mkdir -p $(@D)
	install -m 755 $< $@

# The analyses (analyze/): a Python script and its modules, installed in
# $(BUILD)/lib/lttng-xen-analyze, where the script looks first.
ANALYZE_PY := $(wildcard analyze/lxa_*.py)
$(addprefix $(BUILD)/bin/,$(ANALYZE_PROGS)): $(BUILD)/bin/%: analyze/% $(ANALYZE_PY)
	@mkdir -p $(@D) $(BUILD)/lib/lttng-xen-analyze
	install -m 644 $(ANALYZE_PY) $(BUILD)/lib/lttng-xen-analyze/
	install -m 755 $< $@

# xentrace files -> CTF: the tracer's remap and ring buffer as the
# producer, ctf-writer as the writer.
$(BUILD)/bin/lttng-xen-import: $(IMPORT_SRCS) $(CORE_SRCS) $(CORE_HDRS) $(CTFW_SRCS) $(CTFW_HDRS) $(wildcard xentrace-import/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CORE_CFLAGS) -Ictf-writer -Ixentrace-import -o $@ \
		$(IMPORT_SRCS) ringbuffer/frontend.c tracer/probe.c \
		tracer/xentrace-remap.c $(GEN)/xen/events.c \
		$(GEN)/xen/xentrace-map.c $(CTFW_SRCS)

# The manual pages: each program's --help is written as one
# (mk/help2man.sh); lttctl-xen has a page per verb, as lttng has.
LTTCTL_VERBS := create start stop status snapshot destroy list
MAN_PAGES := $(addprefix $(BUILD)/man/,$(addsuffix .1,lttd-xen lttctl-xen lttng-xen-guest \
	$(addprefix lttctl-xen-,$(LTTCTL_VERBS)) lttng-xen-import \
	lttng-xen-compare $(ANALYZE_PROGS)))
# The one-line summary of a page whose --help has no NAME heading.
SUMMARY_lttng-xen-guest := LTTng kernel tracing of a Xen guest on the hypervisor trace's clock, and the domU's agent
SUMMARY_lttng-xen-compare := compare a lttng-xen trace with a xentrace file of the same workload
SUMMARY_lttng-xen-causality := check that merged hypervisor and guest traces order cross-layer events causally
SUMMARY_lttng-xen-latency := where the time of each guest block and network request went, across guest, hypervisor and dom0

$(BUILD)/man/lttctl-xen-%.1: $(BUILD)/bin/lttctl-xen mk/help2man.sh
	@mkdir -p $(@D)
	$< $* --help > $@.txt && mk/help2man.sh lttctl-xen-$* < $@.txt > $@.tmp
	@rm -f $@.txt && mv $@.tmp $@
$(BUILD)/man/%.1: $(BUILD)/bin/% mk/help2man.sh
	@mkdir -p $(@D)
	$< --help > $@.txt && \
		mk/help2man.sh $* $(if $(SUMMARY_$*),"$(SUMMARY_$*)") < $@.txt > $@.tmp
	@rm -f $@.txt && mv $@.tmp $@
man: $(MAN_PAGES)

# make install [PREFIX=/usr/local] [DESTDIR=]: the dom0 programs into
# PREFIX/bin, their manual pages into PREFIX/share/man/man1.
# lttng-xen-compare reads genevent's output next to it (../gen, as in
# build/): the script and that output go to PREFIX/lib/lttng-xen/{bin,gen},
# and PREFIX/bin/lttng-xen-compare runs it from there (mk/compare-wrapper.sh,
# relative, so DESTDIR and a moved tree work).  lttd-xen sits beside
# lttctl-xen, which runs it from there.
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  := $(PREFIX)/bin
LIBDIR  := $(PREFIX)/lib/lttng-xen
MAN1DIR := $(PREFIX)/share/man/man1
INSTALL ?= install

install: all $(MAN_PAGES)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/bin $(DESTDIR)$(MAN1DIR)
	$(INSTALL) -m 755 $(BUILD)/bin/lttd-xen $(BUILD)/bin/lttctl-xen \
		$(BUILD)/bin/lttng-xen-guest $(BUILD)/bin/lttng-xen-import \
		$(DESTDIR)$(BINDIR)
	$(INSTALL) -m 755 $(BUILD)/bin/lttng-xen-compare $(DESTDIR)$(LIBDIR)/bin
	$(INSTALL) -m 755 mk/compare-wrapper.sh $(DESTDIR)$(BINDIR)/lttng-xen-compare
	$(INSTALL) -m 755 $(addprefix $(BUILD)/bin/,$(ANALYZE_PROGS)) \
		$(DESTDIR)$(BINDIR)
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/lib/lttng-xen-analyze
	$(INSTALL) -m 644 $(ANALYZE_PY) $(DESTDIR)$(PREFIX)/lib/lttng-xen-analyze
	rm -rf $(DESTDIR)$(LIBDIR)/gen
	cp -R $(GEN) $(DESTDIR)$(LIBDIR)/gen
	rm -f $(DESTDIR)$(LIBDIR)/gen/.stamp $(DESTDIR)$(LIBDIR)/gen/*.c
	$(INSTALL) -m 644 $(MAN_PAGES) $(DESTDIR)$(MAN1DIR)

# Everything generated from the facilities.
$(GEN)/.stamp: $(GENEVENT) $(FACILITIES)
	@rm -rf $(GEN)/xen $(GEN)/ctf $(GEN)/docs $(GEN)/linux
	$(GENEVENT) -o $(GEN) $(FACILITIES)
	@touch $@
$(GEN)/xen/events.c $(GEN)/xen/xentrace-map.c $(GEN)/ctf/events.tsdl: $(GEN)/.stamp
gen: $(GEN)/.stamp

# The committed event reference.
docs: $(GEN)/.stamp
	cp $(GEN)/docs/events.md docs/events.md

# The hypervisor with lttng-xen (xen-patches/ on Debian's pinned Xen
# source, fetched with apt): build/xen/, or with LTTNG=n the same tree
# with xentrace as it was: build/xen-nolttng/.  mk/xen.sh says more.
LTTNG ?= y
xen: $(GEN)/.stamp
	@BUILD=$(abspath $(BUILD)) LTTNG=$(LTTNG) mk/xen.sh build

# The whole series as patches for a plain Xen tree, lttng-xen's sources
# included (what one would send to xen-devel): build/xen-export/.
xen-export: $(GEN)/.stamp
	@BUILD=$(abspath $(BUILD)) mk/xen.sh export

# The tests' own programs (tests/*/*.c), in $(BUILD)/tests/, with the
# project's warnings: those that run the core, lttd-xen's consumer or the
# transport under ASan and UBSan, those that run in dom0 static.  A test
# asks for its program through tests/lib (test_program NAME), which
# builds it when the test runs alone.
TEST_BIN  := $(BUILD)/tests
TEST_SAN  := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all
TEST_DOM0 := -O2 -static
REMAP_SRCS := tracer/xentrace-remap.c $(GEN)/xen/xentrace-map.c $(GEN)/xen/events.c
GOLDEN_XML := $(sort $(wildcard tests/genevent/golden/*.xml))
TEST_PROGRAMS := $(addprefix $(TEST_BIN)/,xt-coverage callsite-remap rb-unit \
	control-unit recovery sim-client sysctl-smoke pv-trap merge-ust-app \
	roundtrip-facilities/calls roundtrip-golden/calls spawn-run)
test-programs: $(TEST_PROGRAMS)

# Every xentrace id through genevent's remap table and the lookup.
$(TEST_BIN)/xt-coverage: tests/genevent/xt-coverage.c $(REMAP_SRCS) $(CORE_HDRS)
$(TEST_BIN)/callsite-remap: tests/xen/callsite-remap.c $(REMAP_SRCS) $(CORE_HDRS)
$(TEST_BIN)/xt-coverage $(TEST_BIN)/callsite-remap: tests/genevent/remap-probe.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CORE_CFLAGS) -Itests/genevent -o $@ $(filter %.c,$^)

$(TEST_BIN)/rb-unit: tests/ringbuffer/rb-unit.c ringbuffer/frontend.c \
		tracer/probe.c $(GEN)/xen/events.c $(CTFW_SRCS) $(CTFW_HDRS) \
		$(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(TEST_SAN) $(WARN) $(CORE_CFLAGS) -Ictf-writer -o $@ $(filter %.c,$^)

# The tracer's control core against a host that works in steps, every
# rb_array_index_nospec() it makes watched (tests/tracer/nospec-watch.h).
$(TEST_BIN)/control-unit: tests/tracer/control-unit.c tracer/control.c \
		tracer/probe.c ringbuffer/frontend.c $(GEN)/xen/events.c \
		tests/tracer/nospec-watch.h $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(TEST_SAN) $(WARN) $(CORE_CFLAGS) -Itracer \
		-include tests/tracer/nospec-watch.h -o $@ $(filter %.c,$^)

# lttd-xen's consumer code (all but its main and daemon files), the
# producer client and ctf-writer, with an in-process producer over the
# real ring buffer.
$(TEST_BIN)/recovery: tests/lttd-xen/recovery.c tests/lttd-xen/fake-producer.c \
		$(filter-out lttd-xen/main.c lttd-xen/daemon.c,$(LTTD_SRCS)) \
		transport/producer.c transport/abi-text.c $(CTFW_SRCS) \
		ringbuffer/frontend.c $(CORE_HDRS) $(CTFW_HDRS) \
		$(wildcard lttd-xen/*.h transport/*.h tests/lttd-xen/*.h)
	@mkdir -p $(@D)
	$(CC) $(TEST_SAN) $(WARN) $(CORE_CFLAGS) -Ictf-writer -Ilttd-xen \
		-Itests/lttd-xen -o $@ $(filter %.c,$^)

$(TEST_BIN)/sim-client: tests/sim/sim-client.c $(TRANSPORT_SRCS) $(CTFW_SRCS) \
		$(CORE_HDRS) $(CTFW_HDRS) $(wildcard transport/*.h)
	@mkdir -p $(@D)
	$(CC) $(TEST_SAN) $(WARN) $(CORE_CFLAGS) -Ictf-writer -o $@ $(filter %.c,$^)

$(TEST_BIN)/spawn-run: tests/spawn/spawn-run.c $(SPAWN_SRCS) $(SPAWN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(TEST_SAN) $(WARN) -Ispawn -o $@ $(filter %.c,$^)

# Run in dom0 under QEMU, from a busybox initramfs.
$(TEST_BIN)/sysctl-smoke: tests/xen/sysctl-smoke.c $(CORE_HDRS)
$(TEST_BIN)/pv-trap: tests/xen/trap.c
$(TEST_BIN)/sysctl-smoke $(TEST_BIN)/pv-trap:
	@mkdir -p $(@D)
	$(CC) $(TEST_DOM0) $(WARN) -Iinclude -o $@ $(filter %.c,$^)

$(TEST_BIN)/merge-ust-app: tests/e2e-sim/merge-ust-app.c tests/e2e-sim/merge-ust-tp.h | deps-ust
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -Itests/e2e-sim -o $@ $< -llttng-ust -ldl

# The round trip of every event (tests/genevent/test-roundtrip.sh), for
# the real facilities and for the golden ones: roundtrip.py writes a
# program calling every tracepoint and recording every xentrace mapping,
# and the events it must produce (expected.json beside it); it writes the
# trace with ctf-writer, these facilities' events in its metadata.
$(TEST_BIN)/roundtrip-golden/gen/.stamp: $(GENEVENT) $(GOLDEN_XML)
	@rm -rf $(@D)
	$(GENEVENT) -o $(@D) $(GOLDEN_XML)
	@touch $@
define roundtrip
$(TEST_BIN)/roundtrip-$(1)/calls.c: tests/genevent/roundtrip.py tests/genevent/facility_model.py $(2)
	@mkdir -p $$(@D)
	cd $$(@D) && FACILITIES="$(abspath $(2))" python3 $(CURDIR)/tests/genevent/roundtrip.py \
		gen calls.c.tmp expected.json && mv calls.c.tmp calls.c
$(TEST_BIN)/roundtrip-$(1)/calls: $(TEST_BIN)/roundtrip-$(1)/calls.c \
		tests/genevent/ctf-writer.c tests/genevent/ctf-writer.h \
		tracer/xentrace-remap.c $(CTFW_SRCS) $(3)/.stamp $(CORE_HDRS) \
		$(CTFW_HDRS)
	$(CC) $(TEST_SAN) $(WARN) -Iinclude -I$(3)/xen -Itests/genevent \
		-Iringbuffer -Iringbuffer/user -Ictf-writer \
		-DEVENTS_TSDL='"$(abspath $(3))/ctf/events.tsdl"' -o $$@ \
		$$(filter %.c,$$^) $(3)/xen/xentrace-map.c $(3)/xen/events.c
endef
$(eval $(call roundtrip,facilities,$(FACILITIES),$(GEN)))
$(eval $(call roundtrip,golden,$(GOLDEN_XML),$(TEST_BIN)/roundtrip-golden/gen))

# make print-VAR: a variable's value, for the tests (tests/lib: make_var).
print-%:
	@echo '$($*)'

# The guest kernel, one for dom0 and the PV domU: Debian's pinned
# linux-source-6.1 with linux-patches/ and genevent's tracepoints, and
# the LTTng modules for it (Debian's lttng-modules-dkms source + the
# guest probes): build/linux/.  mk/linux.sh says more.
linux: $(GEN)/.stamp
	@BUILD=$(abspath $(BUILD)) mk/linux.sh build

check: deps-check all $(GEN)/.stamp $(BUILD)/bin/genevent-fuzz test-programs
	@tests/run

# The traced Xen end to end under QEMU, and xentrace on the same workload:
# build/e2e/compare.md (tests/xen/test-e2e.sh); the guest kernels traced
# with LTTng in dom0 and a PV domU beside it: build/guest-e2e/
# (tests/linux/test-guest-e2e.sh).  `make check` runs both too.
e2e: deps-demo all $(GEN)/.stamp
	@tests/run tests/xen/test-e2e.sh tests/linux/test-guest-e2e.sh

# A manual experiment, not part of check: a full HVM guest (QEMU's device
# model in dom0) under the traced Xen; build/try-hvm/ (tests/xen/try-hvm.sh).
try-hvm: deps-demo all $(GEN)/.stamp
	@tests/run tests/xen/try-hvm.sh

# Benchmarks, next to LTTng-UST (bench/README.md); not part of check.
bench: deps-bench all $(GEN)/.stamp
	@BUILD=$(abspath $(BUILD)) bench/run

# The overhead benchmark of the original work, under QEMU: the
# configurations (stock Debian Xen ... xentrace to disk, guest kernels) x
# the dom0 workloads of bench/xen/bench-xen.toml, boots interleaved, each
# cell tested against xentrace (bench/xen/README.md); FULL=1: the full set;
# SET=guests: the guest kernels against Debian's alone.
# build/bench-xen/{results.md,results.csv,*.png} (bench/xen/README.md).
bench-xen: deps-bench-xen all $(GEN)/.stamp
	@TOP=$(CURDIR) BUILD=$(abspath $(BUILD)) \
		BENCH_XEN_SET=$(or $(SET),$(if $(filter-out 0,$(FULL)),full,default)) bench/xen/run

# The cost of one trace record inside Xen, lttng-xen against xentrace on
# the same tree: both builds booted under QEMU in turn, Xen's debug key
# 'b' (xen/trace-bench.c) pressed from dom0 with tracing off and on
# (bench/xen/hv-run, a few minutes): build/bench-hv/results.md.
# QUICK=1: one boot per build, one press (make check's mode).
bench-hv: deps-bench-xen all $(GEN)/.stamp
	@TOP=$(CURDIR) BUILD=$(abspath $(BUILD)) \
		BENCH_HV_QUICK=$(if $(filter-out 0,$(QUICK)),1,0) bench/xen/hv-run

# The guest tracepoints' cost when no one traces, in pairs: one boot,
# a PV domU of make linux's kernel and one of the same configuration
# without linux-patches/ running each microbench mode back to back
# (bench/xen/ab-run, about 20 minutes once the kernels are built):
# build/bench-guest-ab/results.md.
bench-guest-ab: deps-bench-xen all $(GEN)/.stamp
	@TOP=$(CURDIR) BUILD=$(abspath $(BUILD)) bench/xen/ab-run

# The main job: the patched Xen booted under QEMU, a dom0 workload traced
# with lttctl-xen, and a summary of the trace (mk/demo-xen.sh).
demo: deps-demo all $(GEN)/.stamp
	@BUILD=$(abspath $(BUILD)) mk/demo-xen.sh

# The same session against lttng-xen-sim, the user-space stand-in for the
# hypervisor: no Xen, kernel or QEMU needed (mk/demo.sh).
demo-sim: deps-demo all $(GEN)/.stamp
	@BUILD=$(abspath $(BUILD)) mk/demo.sh

clean:
	rm -rf $(BUILD)
