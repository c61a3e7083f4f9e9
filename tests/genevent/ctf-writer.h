/* SPDX-License-Identifier: GPL-2.0-only */
/* ctf-writer.h: the genevent tests' one-packet CTF stream writer. */
#ifndef CTF_WRITER_H
#define CTF_WRITER_H

void ctf_writer_init(void);
int ctf_writer_finish(const char *path, const unsigned char uuid[16]);

#endif
