/* The smallest program: what fork_exec_wait execs. */
int
main(int argc, char *argv[])
{
	return 0;
}
