#include <stdio.h>
int main(void) { puts("contribook"); return 0; }
