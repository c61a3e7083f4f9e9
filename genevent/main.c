// SPDX-License-Identifier: GPL-2.0-only
/*
 * genevent: facility XML -> hypervisor tracepoints, xentrace remap,
 * CTF metadata, the event reference, and the guests' Linux tracepoints.
 * parse.c reads, check.c validates and numbers, gen-*.c write; nothing
 * reaches OUTDIR unless all succeed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "output.h"

static void usage(FILE *f)
{
	fputs("Usage: genevent -o OUTDIR FACILITY.xml...\n"
	      "       genevent --check FACILITY.xml...\n"
	      "\n"
	      "Generate, from lttng-xen facility files, into OUTDIR:\n"
	      "  xen/tp-FACILITY.h   typed tracepoints for the hypervisor\n"
	      "  xen/event-ids.h     event ids; xen/tracepoints.h includes all\n"
	      "  xen/events.c        event names, sizes and domain fields, by id\n"
	      "  xen/xt-remap.h      the xentrace remap: xentrace record -> typed event\n"
	      "  xen/xentrace-map.c  the xentrace mappings as data\n"
	      "  ctf/events.tsdl     CTF 1.8 event and enumeration declarations\n"
	      "  docs/events.md      the event reference\n"
	      "  model.json          the whole model (ids, fields, xentrace\n"
	      "                      mappings) for tools that are not C\n"
	      "and, from the guest facilities (side=\"guest\"):\n"
	      "  linux/include/trace/events/FACILITY.h         Linux TRACE_EVENT()s\n"
	      "  linux/lttng/instrumentation/events/FACILITY.h LTTng-modules probes\n"
	      "  linux/lttng/probes/lttng-probe-FACILITY.c     their probe module\n"
	      "\n"
	      "Options:\n"
	      "  -o, --output DIR  where to write (created if missing)\n"
	      "  -c, --check       validate the files only; write nothing\n"
	      "  -h, --help        show this help\n"
	      "\n"
	      "The format is described in facilities/README.md.  Errors are printed\n"
	      "as FILE:LINE: message; on any error genevent exits with status 1 and\n"
	      "writes nothing.  Status 2: bad usage or an internal failure.\n",
	      f);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "check", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ge_model model = { 0 };
	struct ge_outputs out = { 0 };
	const char *outdir = NULL;
	bool check_only = false;
	uint64_t hash;
	int opt, i, ret;

	while ((opt = getopt_long(argc, argv, "o:ch", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			outdir = optarg;
			break;
		case 'c':
			check_only = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc || (!outdir && !check_only)) {
		fprintf(stderr, "genevent: %s\n",
			optind == argc ? "no facility file given" :
					 "no output directory given (-o OUTDIR)");
		usage(stderr);
		return 2;
	}

	LIBXML_TEST_VERSION
	for (i = optind; i < argc; i++)
		ge_parse_file(&model, argv[i]);
	if (!ge_errors)
		ge_model_check(&model);
	if (ge_errors) {
		fprintf(stderr, "genevent: %d error%s; nothing written\n",
			ge_errors, ge_errors == 1 ? "" : "s");
		ge_model_free(&model);
		return 1;
	}
	if (check_only) {
		ge_model_free(&model);
		return 0;
	}
	hash = ge_gen_ctf(&model, &out);
	ge_gen_xen(&model, &out, hash);
	ge_gen_doc(&model, &out);
	ge_gen_json(&model, &out, hash);
	ge_gen_linux(&model, &out);
	ret = ge_outputs_write(&out, outdir) ? 1 : 0;
	ge_outputs_free(&out);
	ge_model_free(&model);
	xmlCleanupParser();
	return ret;
}
