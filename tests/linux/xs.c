// SPDX-License-Identifier: GPL-2.0-only
/*
 * xs read PATH | xs write PATH VALUE: one xenstore node, through
 * xenstored's socket or /dev/xen/xenbus (libxenstore chooses).  For the
 * guest e2e test: its dom0's hotplug scripts and the domU's xenstore use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenstore.h>

int main(int argc, char **argv)
{
	struct xs_handle *xs;
	unsigned int len;
	bool write;
	char *v;
	int ret = 0;

	write = argc == 4 && !strcmp(argv[1], "write");
	if (!write && !(argc == 3 && !strcmp(argv[1], "read"))) {
		fprintf(stderr, "usage: xs read PATH | xs write PATH VALUE\n");
		return 2;
	}
	xs = xs_open(0);
	if (!xs) {
		perror("xs: cannot reach xenstore");
		return 1;
	}
	if (write) {
		if (!xs_write(xs, XBT_NULL, argv[2], argv[3], strlen(argv[3]))) {
			fprintf(stderr, "xs: cannot write %s: ", argv[2]);
			perror(NULL);
			ret = 1;
		}
	} else {
		v = xs_read(xs, XBT_NULL, argv[2], &len);
		if (!v) {
			fprintf(stderr, "xs: cannot read %s: ", argv[2]);
			perror(NULL);
			ret = 1;
		} else {
			printf("%.*s\n", (int)len, v);
			free(v);
		}
	}
	xs_close(xs);
	return ret;
}
