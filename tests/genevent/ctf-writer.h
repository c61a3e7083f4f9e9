/* SPDX-License-Identifier: GPL-2.0-only */
/* ctf-writer.h: the genevent tests' one-packet CTF trace writer. */
#ifndef CTF_WRITER_H
#define CTF_WRITER_H

void ctf_writer_init(void);
/* Write the trace directory dir (it exists): metadata, channel0_0. */
int ctf_writer_finish(const char *dir, const unsigned char uuid[16]);

#endif
