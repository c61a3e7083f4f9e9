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
DEPS_BUILD := gcc make pkg-config libxml2-dev libxml2-utils
DEPS_DEMO  := $(DEPS_BUILD) babeltrace2 python3 python3-bt2
DEPS_CHECK := $(DEPS_DEMO) clang libclang-rt-14-dev

FACILITIES := $(sort $(wildcard facilities/*.xml))
GENEVENT   := $(BUILD)/bin/genevent
GEN        := $(BUILD)/gen

GENEVENT_SRCS := genevent/main.c genevent/parse.c genevent/check.c \
		 genevent/util.c genevent/output.c genevent/gen-xen.c \
		 genevent/gen-ctf.c genevent/gen-doc.c
GENEVENT_LIB  := $(filter-out genevent/main.c,$(GENEVENT_SRCS))
GENEVENT_HDRS := genevent/model.h genevent/output.h

.PHONY: all deps deps-demo deps-check gen docs check demo fuzz clean
all: $(GENEVENT)

deps:
	@mk/deps.sh $(DEPS_BUILD)
deps-demo:
	@mk/deps.sh $(DEPS_DEMO)
deps-check:
	@mk/deps.sh $(DEPS_CHECK)

$(BUILD)/genevent/schema.c: facilities/facility.rng genevent/embed-schema.sh
	@mkdir -p $(@D)
	genevent/embed-schema.sh $< > $@.tmp && mv $@.tmp $@

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

# Everything generated from the facilities.
$(GEN)/.stamp: $(GENEVENT) $(FACILITIES)
	@rm -rf $(GEN)
	$(GENEVENT) -o $(GEN) $(FACILITIES)
	@touch $@
gen: $(GEN)/.stamp

# The committed event reference.
docs: $(GEN)/.stamp
	cp $(GEN)/docs/events.md docs/events.md

check: deps-check all $(BUILD)/bin/genevent-fuzz
	@tests/run

demo: deps-demo $(GEN)/.stamp
	@BUILD=$(abspath $(BUILD)) mk/demo.sh

clean:
	rm -rf $(BUILD)
