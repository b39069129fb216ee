/* See verify_cs.h. */
#include <stdlib.h>
#include "tests/kernel/unit/verify_cs.h"
#include "microkernel/verify/x86dec.h"

csh vcs_open(void)
{
	csh h;
	if (cs_open(CS_ARCH_X86, CS_MODE_32, &h) != CS_ERR_OK)
		abort();
	cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
	return h;
}

static int has_seg_dest(const cs_insn *i)
{
	const cs_x86 *x = &i->detail->x86;
	if (x->op_count < 1 || x->operands[0].type != X86_OP_REG)
		return 0;
	switch (x->operands[0].reg) {
	case X86_REG_CS: case X86_REG_DS: case X86_REG_ES: case X86_REG_FS:
	case X86_REG_GS: case X86_REG_SS:
		return 1;
	default:
		return 0;
	}
}

/* What the rules forbid anywhere, by Capstone's names. */
static int forbidden(csh h, const cs_insn *i)
{
	if (cs_insn_group(h, i, CS_GRP_INT) || cs_insn_group(h, i, CS_GRP_IRET) ||
	    cs_insn_group(h, i, CS_GRP_PRIVILEGE))
		return 1;
	switch (i->id) {
	case X86_INS_INT: case X86_INS_INT1: case X86_INS_INT3: case X86_INS_INTO:
	case X86_INS_IRET: case X86_INS_IRETD: case X86_INS_SYSCALL: case X86_INS_SYSENTER:
	case X86_INS_SYSEXIT: case X86_INS_SYSRET: case X86_INS_LJMP: case X86_INS_LCALL:
	case X86_INS_RETF: case X86_INS_IN: case X86_INS_INSB: case X86_INS_INSW:
	case X86_INS_INSD: case X86_INS_OUT: case X86_INS_OUTSB: case X86_INS_OUTSW:
	case X86_INS_OUTSD: case X86_INS_CLI: case X86_INS_STI: case X86_INS_HLT:
	case X86_INS_LDS: case X86_INS_LES: case X86_INS_LFS: case X86_INS_LGS:
	case X86_INS_LSS: case X86_INS_LGDT: case X86_INS_LIDT: case X86_INS_LLDT:
	case X86_INS_LTR: case X86_INS_CLTS: case X86_INS_INVLPG: case X86_INS_WRMSR:
	case X86_INS_RDMSR: case X86_INS_RDPMC: case X86_INS_LMSW: case X86_INS_INVD:
	case X86_INS_WBINVD: case X86_INS_SGDT: case X86_INS_SIDT: case X86_INS_SLDT:
	case X86_INS_STR: case X86_INS_SMSW: case X86_INS_LAR: case X86_INS_LSL:
	case X86_INS_VERR: case X86_INS_VERW: case X86_INS_RSM: case X86_INS_GETSEC:
		return 1;
	case X86_INS_MOV: case X86_INS_POP:
		return has_seg_dest(i);
	default:
		return 0;
	}
}

static int opclass(const cs_insn *i, int imm, int reg, int mem)
{
	const cs_x86 *x = &i->detail->x86;
	if (x->op_count < 1)
		return XC_BAD;
	switch (x->operands[0].type) {
	case X86_OP_IMM: return imm;
	case X86_OP_REG: return reg;
	case X86_OP_MEM: return mem;
	default: return XC_BAD;
	}
}

int vcs_decode(csh h, const uint8_t *p, uint32_t avail, uint64_t va, int *cls, int *forb)
{
	cs_insn *i;
	*cls = XC_BAD;
	*forb = 0;
	if (cs_disasm(h, p, avail, va, 1, &i) != 1)
		return 0;
	int len = i->size;
	*forb = forbidden(h, i);
	if (i->id == X86_INS_NOP)
		*cls = XC_NOP;
	else if (i->id == X86_INS_INT3)
		*cls = XC_INT3;
	else if (i->id == X86_INS_RET)
		*cls = XC_RET;
	else if (i->id == X86_INS_CALL)
		*cls = opclass(i, XC_CALL, XC_CALL_REG, XC_CALL_MEM);
	else if (i->id == X86_INS_JMP)
		*cls = opclass(i, XC_JMP, XC_JMP_REG, XC_JMP_MEM);
	else if (cs_insn_group(h, i, CS_GRP_JUMP) || cs_insn_group(h, i, CS_GRP_CALL) ||
		 cs_insn_group(h, i, CS_GRP_RET))
		*cls = XC_JCC;
	else if (*forb)
		*cls = XC_FORBID;
	else
		*cls = XC_PLAIN;
	cs_free(i, 1);
	return len;
}
