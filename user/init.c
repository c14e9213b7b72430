/*
 * init: the first user process.
 *
 * The kernel runs it as {"init"} or, when the boot arguments carry a
 * command, {"init", CMD}. It opens the console as descriptors 0, 1 and 2,
 * then either runs CMD through "sh -c" once and powers the machine off
 * with its exit status, or keeps an interactive shell running. All the
 * while it reaps orphans, whose parent it becomes.
 */
#include "kernel/fcntl.h"
#include "kernel/types.h"
#include "user/user.h"

/* Make /console descriptors 0, 1 and 2, creating the device node if
 * the file system has none. */
static void
open_console(void)
{
	int fd;

	fd = open("/console", O_RDWR);
	if (fd < 0) {
		mknod("/console", CONSOLE, 0);
		fd = open("/console", O_RDWR);
	}
	if (fd < 0)
		poweroff(1); /* nowhere to even report the problem */
	while (fd < 2)
		fd = dup(fd);
}

/* Start /sh with argv in a child. Its pid, or -1. */
static int
spawn_sh(char **argv)
{
	int pid;

	pid = fork();
	if (pid != 0)
		return pid;
	exec("/sh", argv);
	fprintf(2, "init: cannot exec /sh\n");
	exit(127);
}

/* Run cmd through "sh -c" and power off with its status: 0..255 as is,
 * anything else (a killed shell, a wild exit value) as 255. */
static void
run_command(char *cmd)
{
	char *argv[] = {"sh", "-c", cmd, 0};
	int pid, status;

	pid = spawn_sh(argv);
	if (pid < 0) {
		fprintf(2, "init: fork failed\n");
		poweroff(1);
	}
	status = wait_pid(pid);
	if (status < 0 || status > 255)
		status = 255;
	poweroff(status);
}

int
main(int argc, char *argv[])
{
	char *shargv[] = {"sh", 0};
	int pid;

	open_console();
	if (argc >= 2)
		run_command(argv[1]);
	for (;;) {
		printf("init: starting sh\n");
		pid = spawn_sh(shargv);
		if (pid < 0) {
			fprintf(2, "init: fork failed\n");
			sleep(100);
			continue;
		}
		wait_pid(pid);
	}
}
