/*
 * icount.c - exact guest instruction counter for mote, as a QEMU TCG plugin.
 *
 * Every executed guest instruction adds 1 to a 64-bit counter (an inline
 * add that QEMU emits in front of each translated instruction, so no helper
 * call per instruction). Each time the guest executes the instruction at the
 * marker address, the running count is appended to the output file as one
 * decimal line. The firmware calls the marker (`mote_mark`, a `nop; bx lr`
 * function) around the region it wants measured; the host takes differences
 * of consecutive lines and pairs them with the marker calls in order (API v1
 * cannot read guest registers, so the id the firmware passes in r0 is not
 * seen here).
 *
 * Between two marker executions the logged difference is the instructions of
 * the region + 3: the caller's `bl` and the marker's `nop; bx lr` (+ 1 more,
 * `movs r0, #id`, when called from C with an id). Whether QEMU runs the
 * marker's callback before or after its inline add does not change any
 * difference. A conditional instruction whose IT condition fails still counts
 * 1; an MVE instruction counts 1 whatever its beats. Verified exact by
 * firmware/tests/check_icount.py on both boards.
 *
 * Arguments: mark=0xADDR (the address of mote_mark from `arm-none-eabi-nm`;
 * bit 0, the Thumb bit, is ignored), out=PATH (default: stderr). The file
 * holds one decimal count per marker execution, nothing else, flushed line by
 * line (complete even if QEMU is killed).
 *
 * Debian's QEMU ships no qemu-plugin.h: the handful of API v1 declarations
 * used here are declared below (they match QEMU 7.2's include/qemu/qemu-plugin.h).
 * No glib needed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- QEMU plugin API v1 (subset), as in QEMU 7.2 ---- */
#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t; /* only passed through */
struct qemu_plugin_tb;
struct qemu_plugin_insn;

enum qemu_plugin_cb_flags {
    QEMU_PLUGIN_CB_NO_REGS,
    QEMU_PLUGIN_CB_R_REGS,
    QEMU_PLUGIN_CB_RW_REGS,
};

enum qemu_plugin_op {
    QEMU_PLUGIN_INLINE_ADD_U64,
};

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index,
                                            void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
                                               struct qemu_plugin_tb *tb);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                           qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
                                                 size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
                                                enum qemu_plugin_op op,
                                                void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags,
                                            void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
                                    qemu_plugin_udata_cb_t cb, void *userdata);

/* QEMU 7.2 refuses a plugin without this symbol (loader checks the range
 * QEMU_PLUGIN_MIN_VERSION..QEMU_PLUGIN_VERSION, which is 0..1 in 7.2). */
QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;
QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
                                           const qemu_info_t *info, int argc,
                                           char **argv);

/* ---- the counter ---- */
static uint64_t insn_count; /* one vCPU on the Cortex-M boards */
static uint64_t mark_addr;
static bool have_mark;
static FILE *out;
static const char *out_path;

static void on_mark(unsigned int vcpu_index, void *userdata)
{
    (void)vcpu_index;
    (void)userdata;
    /* Flush every line: QEMU may leave through exit() from semihosting or
     * through a signal; the file must be complete either way. */
    fprintf(out, "%" PRIu64 "\n", insn_count);
    fflush(out);
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        qemu_plugin_register_vcpu_insn_exec_inline(
            insn, QEMU_PLUGIN_INLINE_ADD_U64, &insn_count, 1);
        if (have_mark && qemu_plugin_insn_vaddr(insn) == mark_addr) {
            qemu_plugin_register_vcpu_insn_exec_cb(
                insn, on_mark, QEMU_PLUGIN_CB_NO_REGS, NULL);
        }
    }
}

static void on_exit_cb(qemu_plugin_id_t id, void *userdata)
{
    (void)id;
    (void)userdata;
    if (out != NULL) {
        fflush(out);
        if (out != stderr) {
            fclose(out);
        }
        out = NULL;
    }
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
                                           const qemu_info_t *info, int argc,
                                           char **argv)
{
    (void)info;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "mark=", 5) == 0) {
            char *end = NULL;
            errno = 0;
            unsigned long long v = strtoull(a + 5, &end, 0);
            if (errno != 0 || end == a + 5 || *end != '\0') {
                fprintf(stderr, "icount: bad marker address '%s'\n", a + 5);
                return -1;
            }
            mark_addr = (uint64_t)v & ~(uint64_t)1; /* drop the Thumb bit */
            have_mark = true;
        } else if (strncmp(a, "out=", 4) == 0) {
            out_path = a + 4;
        } else {
            fprintf(stderr, "icount: unknown argument '%s' "
                            "(expected mark=0xADDR, out=PATH)\n", a);
            return -1;
        }
    }
    if (out_path != NULL && out_path[0] != '\0') {
        out = fopen(out_path, "w");
        if (out == NULL) {
            fprintf(stderr, "icount: cannot open '%s': %s\n", out_path,
                    strerror(errno));
            return -1;
        }
    } else {
        out = stderr;
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
    qemu_plugin_register_atexit_cb(id, on_exit_cb, NULL);
    return 0;
}
