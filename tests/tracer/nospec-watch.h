/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nospec-watch.h: included before everything in control-unit's build, so
 * that each rb_array_index_nospec() of the control core calls the test's
 * test_nospec(), which records the index and bound it was given
 * (ringbuffer/user/rb-platform.h leaves a definition made before it).
 */
unsigned long test_nospec(unsigned long index, unsigned long size);
#define rb_array_index_nospec(index, size) test_nospec((index), (size))
