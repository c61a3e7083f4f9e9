// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz.c: libFuzzer target for the parser and the model checks.  Each
 * input is one facility file; when it is accepted, every back end runs too
 * (in memory), so the generators see whatever the checks let through.
 */
#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>

#include "output.h"

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ge_model model = { 0 };
	struct ge_outputs out = { 0 };

	ge_quiet = true;
	ge_errors = 0;
	xmlSetGenericErrorFunc(NULL, silent);
	if (!ge_parse_memory(&model, "fuzz.xml", (const char *)data, size) &&
	    !ge_model_check(&model)) {
		uint64_t hash = ge_gen_ctf(&model, &out);

		ge_gen_xen(&model, &out, hash);
		ge_gen_doc(&model, &out);
		ge_gen_json(&model, &out, hash);
		ge_gen_linux(&model, &out);
		ge_outputs_free(&out);
	}
	ge_model_free(&model);
	return 0;
}
