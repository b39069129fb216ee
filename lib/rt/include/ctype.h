/* ctype.h for modules: the plain C locale (ASCII; bytes 128..255 are in
 * no class), functions of the module runtime (lib/rt/libc/ctype.c).  As
 * C says, the argument is an unsigned char value or EOF. */
#ifndef BF_RT_CTYPE_H
#define BF_RT_CTYPE_H
int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int tolower(int c);
int toupper(int c);
#endif
