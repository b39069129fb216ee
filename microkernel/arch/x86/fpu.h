/* Per-task x87/SSE state (fpu.c). */
#ifndef ARCH_X86_FPU_H
#define ARCH_X86_FPU_H
#include <stdint.h>

struct task;
struct cpu;
void fpu_init(void);			/* CR0/CR4 for SSE; stops on a CPU without SSE2 */
void fpu_task_init(struct task *t);	/* FNINIT defaults, MXCSR 0x1F80, registers 0 */
void fpu_switch(struct cpu *c, struct task *prev, struct task *next);	/* prev saved, next's state loaded */
void fpu_handoff(struct cpu *c, struct task *prev, struct task *next);	/* the same, prev live, next not idle */
void fpu_task_gone(struct task *t);	/* t died: its state is dropped */
uint32_t fpu_fault_status(struct task *t, uint32_t trapno);	/* FSW (#MF) or MXCSR (#XM) */
#endif
