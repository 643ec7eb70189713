// kobai — the command line. Subcommands are registered from one file each (see commands.hpp).
#include <cstdio>
int main() { std::puts("kobai: work in progress"); return 0; }
