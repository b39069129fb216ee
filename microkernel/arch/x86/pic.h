/* The 8259 interrupt controllers and the 8254 timer. */
#ifndef ARCH_X86_PIC_H
#define ARCH_X86_PIC_H
void pic_init(void);		/* remap IRQs 0-15 to vectors 32-47, all masked */
void pic_mask(int irq);
void pic_unmask(int irq);
void pic_eoi(int irq);
void pit_init(unsigned hz);
#endif
